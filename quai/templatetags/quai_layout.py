"""The shared layout's costly parts, answered once per process.

Every page draws the same header: the member's links (each a reversed URL and a translated label),
the language switch and htmx's script tag. Through the template language they cost as much as a
small page. The links only depend on the language, which links the person sees, the current page
and whether they are staff, so their markup is built once per such combination (escaped like the
rest of Django) and kept in this process; so are the language buttons (per language). The CSRF
token and the return path are written per request.
"""

from functools import lru_cache

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django_htmx.jinja import htmx_script as _htmx_script

register = template.Library()


@register.simple_tag
def htmx_script_tag() -> SafeString:
    """django-htmx's `{% htmx_script %}` (no CSP nonce here), computed once."""
    return _htmx_script_once()


@lru_cache(maxsize=1)
def _htmx_script_once() -> SafeString:
    return mark_safe(str(_htmx_script(version=2, minified=True, extensions="", nonce=None)))


@register.simple_tag(takes_context=True)
def member_nav_items(context) -> SafeString:
    """The `<li>` links of the main navigation: the member's links, then the back-office for staff."""
    request = context.get("request")
    user = context.get("user")
    match = getattr(request, "resolver_match", None)
    links = list(context.get("member_links") or ())
    staff = bool(user is not None and user.is_authenticated and user.is_staff)
    key = (get_language(), tuple(link.url_name for link in links), match.view_name if match else "", staff)
    markup = _NAV_ITEMS.get(key)
    if markup is None:
        if len(_NAV_ITEMS) >= 512:
            _NAV_ITEMS.clear()
        markup = _NAV_ITEMS[key] = _nav_items(links, current=key[2], staff=staff)
    return markup


# (language, link url names, current view, staff) → markup. Links and their labels are declared
# once per process (quai.registry), so the key says everything the markup depends on.
_NAV_ITEMS: dict[tuple, SafeString] = {}


def _nav_items(links, *, current: str, staff: bool) -> SafeString:
    pairs = [(link.url_name, link.label) for link in links]
    if staff:
        pairs.append(("staff_home", gettext("Back-office")))
    items = []
    for url_name, label in pairs:
        aria = ' aria-current="page"' if url_name == current else ""
        items.append(f'<li><a href="{escape(reverse(url_name))}"{aria}>{escape(label)}</a></li>')
    return mark_safe("".join(items))


@register.simple_tag(takes_context=True)
def language_switch(context) -> SafeString:
    """The header's language form: a button for each other language (named in that language),
    posting to Django's set_language view and coming back to this page."""
    request = context.get("request")
    token = str(context.get("csrf_token") or "")
    # As {% csrf_token %}: nothing when the CSRF context processor had no token to give.
    token_input = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">' if token not in ("", "NOTPROVIDED") else ""
    next_input = f'<input name="next" type="hidden" value="{escape(request.get_full_path()) if request else ""}">'
    return mark_safe(
        f'<form action="{_set_language_url()}" method="post" class="lang-switch">'
        f"{token_input}{next_input}{_language_buttons(get_language())}</form>"
    )


@lru_cache(maxsize=1)
def _set_language_url() -> str:
    return escape(reverse("set_language"))


@lru_cache(maxsize=8)
def _language_buttons(current: str) -> str:
    from django.conf import settings
    from django.utils.translation import get_language_info

    buttons = []
    for code, _name in settings.LANGUAGES:
        if code != current:
            label = get_language_info(code)["name_local"].capitalize()
            buttons.append(
                f'<button type="submit" name="language" value="{escape(code)}" lang="{escape(code)}" class="link-button">{escape(label)}</button>'
            )
    return "".join(buttons)
