import base64
import csv

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from members import importer, selectors, services
from members.forms import ImportForm, MemberFilterForm, PaymentForm, PersonSearchForm, RateMappingForm
from members.models import PaymentInstructions
from quai import xlsx
from quai.errors import DomainError, InvalidInput
from quai.inputs import paginate_by_ids
from quai.exports import neutralise
from quai.permissions import StaffRequiredMixin
from quai.registry import registry


def _filtered(request):
    """The filter form and the filtered members; InvalidInput (400, per field) on a bad filter value."""
    form = MemberFilterForm(request.GET or None)
    return form, selectors.member_list(**form.filters())


class MemberListView(StaffRequiredMixin, View):
    def get(self, request):
        try:
            form, queryset = _filtered(request)
        except InvalidInput:
            # The list with the filters' errors on their fields, and nothing listed: a filter that
            # is not understood is never silently dropped.
            form = MemberFilterForm(request.GET)
            page = Paginator(selectors.member_list().none(), 50).get_page(1)
            return render(request, "members/staff_list.html", {"form": form, "page": page, "query": ""}, status=400)
        # Ids first, then the page's 50 rows: counting 90 000 members on every view cost more
        # than the rest of the page; past 300 ahead (six pages) the page says "more than", as the
        # directory. (1 000 ahead cost ≈ 5 ms in December, when most memberships end: each member
        # found for "expiring" is a probe of their memberships.)
        page = paginate_by_ids(request, queryset, 50, rows_for=selectors.member_list_rows, counted_ahead=300)
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "members/staff_list.html", {"form": form if form.is_bound else MemberFilterForm(), "page": page, "query": query.urlencode()})


class PersonSearchView(StaffRequiredMixin, View):
    """Find a person from the search box of every staff page: name, e-mail, organisation.

    Queries: ONE for the members found (the member list's full-text search, capped at LIMIT + 1),
    then ONE per app registered in quai.registry.PersonSearch (Fabrique holders, incubated
    projects), on top of any page's (the user, the header's links), whatever the number found.
    """

    LIMIT = 25

    def get(self, request):
        form = PersonSearchForm(request.GET or None)
        context = {"form": form if form.is_bound else PersonSearchForm(), "people": [], "more": False, "text": ""}
        if not form.is_bound:
            return render(request, "members/staff_search.html", context)
        if not form.is_valid():
            return render(request, "members/staff_search.html", context, status=400)
        text = form.cleaned_data["q"] or ""
        people, more = selectors.person_search(text=text, limit=self.LIMIT)
        sections = selectors.person_search_sections(text=text, limit=self.LIMIT)
        return render(request, "members/staff_search.html", {**context, "people": people, "more": more, "text": text.strip(),
                                                             "sections": sections,
                                                             "sections_found": any(section["hits"] for section in sections)})


class MemberExportView(StaffRequiredMixin, View):
    """The filtered member list as XLSX (typed cells, see quai.xlsx) or CSV (`;`, UTF-8 with BOM)."""

    def columns(self):
        return [
            xlsx.Column(_("E-mail")), xlsx.Column(_("First name")), xlsx.Column(_("Last name")), xlsx.Column(_("Organisation")),
            xlsx.Column(_("Commune")), xlsx.Column(_("Membership type")), xlsx.Column(_("Membership until"), xlsx.DATE),
            xlsx.Column(_("Joined"), xlsx.DATE),
        ]

    def rows(self, queryset):
        for user in queryset.iterator(chunk_size=2000):
            profile = getattr(user, "profile", None)
            yield [user.email, user.first_name, user.last_name, getattr(profile, "organisation", ""), getattr(profile, "commune", ""),
                   user.membership_type or "", user.membership_end, timezone.localtime(user.date_joined).date()]

    def get(self, request, fmt):
        _form, queryset = _filtered(request)
        columns = self.columns()
        if fmt == "xlsx":
            return xlsx.xlsx_response(xlsx.Sheet(_("Members"), columns, self.rows(queryset)), filename="adherents.xlsx")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="adherents.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow([column.title for column in columns])
        for row in self.rows(queryset):
            # A CSV has no cell types: the apostrophe is the only defence against formulas there.
            writer.writerow([neutralise(cell.isoformat() if hasattr(cell, "isoformat") else cell) for cell in row])
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
            # The reference members write on a transfer for a pending renewal (PaymentInstructions.transfer_reference).
            "transfer_prefix": PaymentInstructions.current().transfer_reference_prefix,
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
    """Upload → dry run (line by line: what will happen and why; nothing written) → staff confirm
    the rate mapping, optionally choose to leave rejected lines out → import."""

    template_name = "members/staff_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ImportForm()})

    def post(self, request):
        if "content" in request.POST:  # a dry run being checked again or confirmed
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        limit = settings.QUAI_IMPORT_MAX_BYTES
        data = form.cleaned_data["file"].read(limit + 1)  # bounded: a huge upload is never read whole
        try:
            plan = importer.import_plan(data)
        except DomainError as error:
            form.add_error("file", str(error.message))
            return render(request, self.template_name, {"form": form}, status=400)
        return self.dry_run(request, data, plan, RateMappingForm(rates=plan.rates))

    def confirm(self, request):
        try:
            data = base64.b64decode(request.POST["content"], validate=True)
            plan = importer.import_plan(data)
        except (DomainError, ValueError) as error:
            messages.error(request, str(getattr(error, "message", error)))
            return redirect("members:staff_import")
        rate_form = RateMappingForm(request.POST, rates=plan.rates)
        if not rate_form.is_valid():
            return self.dry_run(request, data, plan, rate_form, status=400)
        rates = rate_form.mapping()
        if request.POST.get("action") != "apply":
            plan = importer.import_plan(data, rates=rates)
            return self.dry_run(request, data, plan, RateMappingForm(rates=plan.rates))
        try:
            counts = importer.import_apply(data, by=request.user, rates=rates, skip_rejected=request.POST.get("skip_rejected") == "1")
        except DomainError as error:
            plan = importer.import_plan(data, rates=rates)
            return self.dry_run(request, data, plan, RateMappingForm(rates=plan.rates), error=str(error.message), status=400)
        messages.success(request, _("Import done — created: %(create)s, updated: %(update)s, unchanged: %(unchanged)s, orders skipped: "
                                    "%(skip)s, lines left out: %(reject)s, memberships recorded: %(memberships)s.") % counts)
        return redirect("members:staff_list")

    def dry_run(self, request, data, plan, rate_form, *, error="", status=200):
        return render(request, self.template_name, {
            "form": ImportForm(), "plan": plan, "rate_form": rate_form, "error": error,
            "content": base64.b64encode(data).decode(),
        }, status=status)
