import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from members import selectors, services
from members.forms import AccountForm, ApiTokenCreateForm, ProfileForm, RenewForm
from members.models import ApiToken
from quai.errors import DomainError
from quai.second_factor import second_factor_pending


def _profile_initial(user) -> dict:
    profile = services.profile_for(user)
    return {
        "first_name": user.first_name, "last_name": user.last_name, "phone": profile.phone, "commune": profile.commune,
        "organisation": profile.organisation, "skills": profile.skills, "interests": profile.interests, "bio": profile.bio,
        "directory": profile.directory_consent_at is not None, "newsletter": profile.newsletter_consent_at is not None,
        "image_rights": profile.image_rights_consent_at is not None,
    }


class AccountView(LoginRequiredMixin, View):
    """The member's own page: identity and consents, membership and renewal, data, API tokens."""

    template_name = "members/account.html"

    def get(self, request, *, form=None, token_form=None, new_key=None, profile_form=None, renew_form=None, status=200):
        user = request.user
        today = timezone.localdate()
        memberships = list(user.memberships.select_related("type"))
        return render(
            request,
            self.template_name,
            {
                "form": form or AccountForm(instance=user),
                "profile_form": profile_form or ProfileForm(initial=_profile_initial(user)),
                "renew_form": renew_form or RenewForm(),
                "memberships": [(m, m.status_on(today)) for m in memberships],
                "renewal_allowed": selectors.membership_renewal_allowed(user, memberships=memberships),
                "token_form": token_form or ApiTokenCreateForm(),
                "tokens": ApiToken.objects.filter(user=user),
                "token_needs_second_factor": second_factor_pending(user),
                "new_key": new_key,
                "profile": services.profile_for(user),
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
        services.profile_update(user=request.user, consents=consents, **data)
        messages.success(request, _("Your profile and consents have been saved."))
        return redirect("members:account")


class RenewView(LoginRequiredMixin, View):
    def post(self, request):
        form = RenewForm(request.POST)
        if not form.is_valid():
            return AccountView().get(request, renew_form=form, status=400)
        try:
            services.membership_renew_request(member=request.user, type=form.cleaned_data["type"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Renewal requested: the team will confirm it when your payment is received."))
        return redirect("members:account")


class ExportMyDataView(LoginRequiredMixin, View):
    def get(self, request):
        data = services.member_export(request.user)
        if request.GET.get("format") == "html":
            return render(request, "members/my_data.html", {"data": data, "pretty": json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)})
        response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="mes-donnees-quai.json"'
        return response


class EraseMeView(LoginRequiredMixin, View):
    def post(self, request):
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Tick the box to confirm."))
            return redirect("members:account")
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


class DirectoryView(LoginRequiredMixin, View):
    def get(self, request):
        skill = request.GET.get("skill", "").strip()
        return render(request, "members/directory.html", {"people": selectors.directory(skill=skill)[:200], "skill": skill})


class ApiTokenCreateView(LoginRequiredMixin, View):
    def post(self, request):
        # A token acts with its owner's full powers: a staff account mints one only after its
        # second factor (quai.second_factor), never on a password alone.
        if second_factor_pending(request.user):
            raise PermissionDenied(_("Confirm a code from your authenticator app before creating an API token."))
        form = ApiTokenCreateForm(request.POST)
        if not form.is_valid():
            return AccountView().get(request, token_form=form)
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
