from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from members.forms import AccountForm, ApiTokenCreateForm
from members.models import ApiToken


class AccountView(LoginRequiredMixin, View):
    """The member's own account page: identity, language, personal API tokens."""

    template_name = "members/account.html"

    def get(self, request, *, form=None, token_form=None, new_key=None):
        return render(
            request,
            self.template_name,
            {
                "form": form or AccountForm(instance=request.user),
                "token_form": token_form or ApiTokenCreateForm(),
                "tokens": ApiToken.objects.filter(user=request.user),
                "new_key": new_key,
            },
        )

    def post(self, request):
        form = AccountForm(request.POST, instance=request.user)
        if not form.is_valid():
            return self.get(request, form=form)
        form.save()
        messages.success(request, _("Your account has been updated."))
        return redirect("members:account")


class ApiTokenCreateView(LoginRequiredMixin, View):
    def post(self, request):
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
