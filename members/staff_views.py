import base64
import csv

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import View

from members import importer, selectors, services
from members.forms import ImportForm, MemberFilterForm, PaymentForm
from quai.errors import DomainError
from quai.exports import neutralise
from quai.permissions import StaffRequiredMixin
from quai.registry import registry


def _filtered(request):
    form = MemberFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.member_list(
        search=data.get("q") or "", status=data.get("status") or "", type_id=data.get("type") or "",
        joined_from=data.get("joined_from"), joined_to=data.get("joined_to"), order=data.get("order") or "name",
    )
    return form, queryset


class MemberListView(StaffRequiredMixin, View):
    def get(self, request):
        form, queryset = _filtered(request)
        page = Paginator(queryset, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "members/staff_list.html", {"form": form if form.is_bound else MemberFilterForm(), "page": page, "query": query.urlencode()})


class MemberExportView(StaffRequiredMixin, View):
    COLUMNS = ["email", "first_name", "last_name", "organisation", "commune", "membership_type", "membership_end", "date_joined"]

    def rows(self, queryset):
        for user in queryset.iterator(chunk_size=2000):
            profile = getattr(user, "profile", None)
            yield [user.email, user.first_name, user.last_name, getattr(profile, "organisation", ""), getattr(profile, "commune", ""),
                   user.membership_type or "", user.membership_end.isoformat() if user.membership_end else "", user.date_joined.date().isoformat()]

    def get(self, request, fmt):
        _form, queryset = _filtered(request)
        header = [_("E-mail"), _("First name"), _("Last name"), _("Organisation"), _("Commune"), _("Membership type"), _("Membership until"), _("Joined")]
        if fmt == "xlsx":
            from openpyxl import Workbook

            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet(_("Members"))
            sheet.append(header)
            for row in self.rows(queryset):
                sheet.append([neutralise(cell) for cell in row])
            response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response["Content-Disposition"] = 'attachment; filename="adherents.xlsx"'
            workbook.save(response)
            return response
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="adherents.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow(header)
        for row in self.rows(queryset):
            writer.writerow([neutralise(cell) for cell in row])
        return response


class MemberDetailView(StaffRequiredMixin, View):
    def get(self, request, pk, *, payment_form=None, status=200):
        member = selectors.member_get_for_staff(pk)
        sections = []
        for app in registry.person_data:
            if app.summary and app.summary_template:
                html = render_to_string(app.summary_template, app.summary(member), request=request)
                sections.append({"label": app.label, "html": html})
        return render(request, "members/staff_detail.html", {
            "member": member, "memberships": member.memberships.select_related("type"),
            "payment_form": payment_form or PaymentForm(), "sections": sections,
            "pending_erasure": services.erasure_pending_reasons(member),
        }, status=status)


class RecordPaymentView(StaffRequiredMixin, View):
    def post(self, request, pk):
        member = selectors.member_get_for_staff(pk)
        form = PaymentForm(request.POST)
        if not form.is_valid():
            return MemberDetailView().get(request, pk, payment_form=form, status=400)
        pending = member.memberships.filter(paid_on__isnull=True).first()
        try:
            if pending:
                services.membership_confirm_payment(membership=pending, by=request.user, method=form.cleaned_data["payment_method"],
                                                    reference=form.cleaned_data["payment_reference"])
            else:
                services.membership_record_payment(member=member, type=form.cleaned_data["type"], by=request.user,
                                                   method=form.cleaned_data["payment_method"], reference=form.cleaned_data["payment_reference"])
        except DomainError as error:
            form.add_error(None, str(error.message))
            return MemberDetailView().get(request, pk, payment_form=form, status=error.status_code)
        messages.success(request, _("Payment recorded."))
        return redirect("members:staff_detail", pk=pk)


class EraseMemberView(StaffRequiredMixin, View):
    def post(self, request, pk):
        member = selectors.member_get_for_staff(pk)
        services.member_erase(user=member, by=request.user)
        messages.success(request, _("The member's identity has been erased; counts are kept."))
        return redirect("members:staff_list")


class ImportView(StaffRequiredMixin, View):
    """Upload → dry run (line-by-line report, nothing written) → confirm (all or nothing)."""

    def get(self, request):
        return render(request, "members/staff_import.html", {"form": ImportForm()})

    def post(self, request):
        if "content" in request.POST:  # confirmation of a dry run
            try:
                data = base64.b64decode(request.POST["content"])
                counts = importer.import_apply(data, by=request.user)
            except (DomainError, ValueError) as error:
                messages.error(request, str(getattr(error, "message", error)))
                return redirect("members:staff_import")
            messages.success(request, _("Import done: %(create)s created, %(update)s updated, %(unchanged)s unchanged.") % counts)
            return redirect("members:staff_list")
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "members/staff_import.html", {"form": form}, status=400)
        limit = settings.QUAI_IMPORT_MAX_BYTES
        data = form.cleaned_data["file"].read(limit + 1)  # bounded: a huge upload is never read whole
        try:
            plan = importer.import_plan(data)
        except DomainError as error:
            form.add_error("file", str(error.message))
            return render(request, "members/staff_import.html", {"form": form}, status=400)
        return render(request, "members/staff_import.html", {
            "form": ImportForm(), "plan": plan, "content": base64.b64encode(data).decode() if plan.can_apply else "",
        })


