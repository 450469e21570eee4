import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from members import selectors, services
from members.export import readable_export
from members.forms import AccountForm, ApiTokenCreateForm, ContactForm, ProfileForm, RenewForm
from members.models import ApiToken
from quai.errors import DomainError
from quai.inputs import paginate_by_ids
from quai.second_factor import second_factor_pending


def _profile(user):
    # Read-only: showing the page writes nothing (the profile row is created when first saved).
    from members.models import Profile

    return Profile.objects.filter(user=user).first() or Profile(user=user)


def _profile_initial(user, profile) -> dict:
    return {
        "phone": profile.phone, "commune": profile.commune,
        "organisation": profile.organisation, "skills": profile.skills, "interests": profile.interests, "bio": profile.bio,
        "directory": profile.directory_consent_at is not None, "newsletter": profile.newsletter_consent_at is not None,
        "image_rights": profile.image_rights_consent_at is not None,
    }


class AccountView(LoginRequiredMixin, View):
    """The member's own page, in sections: profile, membership (and how to pay a renewal),
    privacy and data, security, and API tokens for those who use them."""

    template_name = "members/account.html"

    def get(self, request, *, form=None, token_form=None, new_key=None, profile_form=None, renew_form=None, status=200):
        user = request.user
        tokens = list(ApiToken.objects.filter(user=user))
        # Tokens are a developer's tool: shown to staff, to people who already hold one, or on request.
        needs_second_factor = second_factor_pending(user)
        show_developer = bool(tokens or user.is_staff or needs_second_factor or new_key or token_form or request.GET.get("developer") == "1")
        renewal = selectors.member_renewal(user)
        # Renewing usually means "the same again": the current type is proposed first.
        last = renewal["current"] or next((m for m, _status in renewal["memberships"]), None)
        profile = _profile(user)
        return render(
            request,
            self.template_name,
            {
                "form": form or AccountForm(instance=user),
                "profile_form": profile_form or ProfileForm(initial=_profile_initial(user, profile)),
                "renew_form": renew_form or RenewForm(initial={"type": last.type_id} if last else None),
                "renewal": renewal,
                "show_developer": show_developer,
                "token_form": token_form or ApiTokenCreateForm(),
                "tokens": tokens,
                "token_needs_second_factor": needs_second_factor,
                "new_key": new_key,
                "profile": profile,
            },
            status=status,
        )

    def post(self, request):
        form = AccountForm(request.POST, instance=request.user)
        if not form.is_valid():
            return self.get(request, form=form, status=400)
        form.save()
        messages.success(request, _("Your account has been updated."))
        return redirect("members:account")


class ProfileUpdateView(LoginRequiredMixin, View):
    def post(self, request):
        form = ProfileForm(request.POST)
        if not form.is_valid():
            return AccountView().get(request, profile_form=form, status=400)
        data = dict(form.cleaned_data)
        consents = {name: data.pop(name) for name in ("directory", "newsletter", "image_rights")}
        services.profile_update(user=request.user, first_name=request.user.first_name, last_name=request.user.last_name,
                                consents=consents, **data)
        messages.success(request, _("Your profile and consents have been saved."))
        return redirect("members:account")


class RenewView(LoginRequiredMixin, View):
    def get(self, request):
        # Links elsewhere (the member home) lead here: the renewal lives in the account's membership section.
        return redirect(reverse("members:account") + "#membership")

    def post(self, request):
        form = RenewForm(request.POST)
        if not form.is_valid():
            return AccountView().get(request, renew_form=form, status=400)
        try:
            services.membership_renew_request(member=request.user, type=form.cleaned_data["type"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Renewal requested: pay it one of the ways below; the team confirms it when your payment is received."))
        return redirect(reverse("members:account") + "#membership")


class RenewCancelView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            services.membership_renew_cancel(member=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your renewal request has been withdrawn."))
        return redirect(reverse("members:account") + "#membership")


class ExportMyDataView(LoginRequiredMixin, View):
    """GDPR: the member's data, readable (HTML, in sections) or as a JSON download."""

    def get(self, request):
        data = services.member_export(request.user)
        if request.GET.get("format") == "json":
            response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="mes-donnees-quai.json"'
            return response
        return render(request, "members/my_data.html", {"sections": readable_export(data)})


class EraseMeView(LoginRequiredMixin, View):
    """Erasure asks first: a page says what goes and what stays, and the member confirms there."""

    template_name = "members/erase_confirm.html"

    def get(self, request):
        return render(request, self.template_name, {"pending": services.erasure_pending_reasons(request.user),
                                                    "profile": services.profile_for(request.user)})

    def post(self, request):
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm."))
            return redirect("members:erase")
        if services.member_request_erasure(user=request.user):
            logout(request)
            messages.success(request, _("Your personal data has been erased. Goodbye!"))
            return redirect("home")
        messages.success(request, _("Your request is recorded: the team will confirm the erasure shortly."))
        return redirect("members:account")


class PhotoUploadView(LoginRequiredMixin, View):
    def post(self, request):
        upload = request.FILES.get("photo")
        if upload is None:
            messages.error(request, _("Choose a photo to send."))
        else:
            try:
                services.profile_set_photo(user=request.user, upload=upload)
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(request, _("Your photo has been saved."))
        return redirect("members:account")


class PhotoView(LoginRequiredMixin, View):
    """A member's photo: to themselves, staff, and members when they opted in to the directory."""

    def get(self, request, pk):
        from django.http import FileResponse

        profile = selectors.profile_photo_get_for_user(request.user, pk)
        response = FileResponse(profile.photo.open("rb"), content_type="image/*")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=300"
        return response


DIRECTORY_PAGE_SIZE = 30


class DirectoryView(LoginRequiredMixin, View):
    def get(self, request):
        skill = request.GET.get("skill", "").strip()[:100]
        # Thirty cards a page: the directory of a large association runs to thousands of people
        # (27 000 at seed_demo --scale 100), counted at most 300 past the page (ten pages ahead):
        # the ids come in name order from the users' name index, each probing its profile for the
        # consent, so 1 000 ahead read 3 500 accounts (15 ms at scale 100), 300 read ≈ 1 050.
        page = paginate_by_ids(request, selectors.directory(skill=skill), DIRECTORY_PAGE_SIZE,
                               rows_for=selectors.directory_rows, counted_ahead=300)
        return render(request, "members/directory.html", {
            "page": page, "people": page.object_list, "skill": skill, "query": urlencode({"skill": skill}) if skill else "",
            "can_write": selectors.directory_members().filter(pk=request.user.pk).exists(),
        })


class DirectoryContactView(LoginRequiredMixin, View):
    """Write to a directory member: the message is relayed by e-mail, the address never shown."""

    template_name = "members/directory_contact.html"

    def render_form(self, request, recipient, form, *, status=200):
        can_write = selectors.directory_members().filter(pk=request.user.pk).exists()
        return render(request, self.template_name, {"recipient": recipient, "form": form, "can_write": can_write,
                                                    "limit": services.DIRECTORY_CONTACT_LIMIT}, status=status)

    def get(self, request, pk):
        recipient = selectors.directory_member_get(pk=pk, viewer=request.user)
        return self.render_form(request, recipient, ContactForm())

    def post(self, request, pk):
        recipient = selectors.directory_member_get(pk=pk, viewer=request.user)
        form = ContactForm(request.POST)
        if not form.is_valid():
            return self.render_form(request, recipient, form, status=400)
        try:
            services.directory_contact_send(sender=request.user, recipient=recipient, message=form.cleaned_data["message"])
        except DomainError as error:
            form.add_error(None, str(error.message))
            return self.render_form(request, recipient, form, status=error.status_code)
        messages.success(request, _("Your message has been sent to %(name)s. Their reply will come to your e-mail address.")
                         % {"name": recipient.get_full_name()})
        return redirect("members:directory")


class ApiTokenCreateView(LoginRequiredMixin, View):
    def post(self, request):
        # A token acts with its owner's full powers: a staff account mints one only after its
        # second factor (quai.second_factor), never on a password alone.
        if second_factor_pending(request.user):
            raise PermissionDenied(_("Confirm a code from your authenticator app before creating an API token."))
        form = ApiTokenCreateForm(request.POST)
        if not form.is_valid():
            return AccountView().get(request, token_form=form, status=400)
        _token, key = ApiToken.issue(user=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
        return AccountView().get(request, new_key=key)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        # Scoped to the user's own tokens: someone else's token id is simply not found.
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        token.delete()
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("members:account")
