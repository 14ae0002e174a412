"""Server-rendered pages of the authorization endpoint (no JavaScript). Jinja2 escapes
every value: app names, scopes and parameters come from outside."""

from __future__ import annotations

from typing import Any

from jinja2 import DictLoader, Environment, select_autoescape

_LAYOUT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}Hubwire{% endblock %}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f5f6f8;margin:0;color:#1d2330}
main{max-width:420px;margin:8vh auto;background:#fff;border-radius:12px;padding:32px;
box-shadow:0 2px 12px rgba(0,0,0,.08)}
h1{font-size:1.3rem;margin-top:0} label{display:block;margin:12px 0 4px}
input[type=email],input[type=password]{width:100%;padding:8px;box-sizing:border-box}
button{padding:10px 18px;border-radius:8px;border:0;margin:16px 8px 0 0;cursor:pointer}
.allow{background:#2156d9;color:#fff}.deny{background:#e4e7ec}.error{color:#b42318}
.logo{width:48px;height:48px;border-radius:8px}ul{padding-left:20px}
</style></head><body><main>{% block body %}{% endblock %}</main></body></html>"""

_LOGIN = """{% extends "layout" %}{% block title %}Log in · Hubwire{% endblock %}
{% block body %}<h1>Log in to Hubwire</h1>
<p>Log in to continue to the app that sent you here.</p>
{% if error %}<p class="error" role="alert">{{ error }}</p>{% endif %}
<form method="post" action="/oauth/login">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<input type="hidden" name="next" value="{{ next }}">
<label for="email">Email</label><input id="email" name="email" type="email" required
 autocomplete="username" value="{{ email }}">
<label for="password">Password</label><input id="password" name="password" type="password"
 required autocomplete="current-password">
<button class="allow" type="submit">Log in</button>
</form>{% endblock %}"""

_CONSENT = """{% extends "layout" %}{% block title %}Authorize {{ app.name }}{% endblock %}
{% block body %}
{% if app.logo_url %}<img class="logo" src="{{ app.logo_url }}" alt="">{% endif %}
<h1><span id="app-name">{{ app.name }}</span> wants access to
 <span id="workspace-name">{{ workspace }}</span></h1>
{% if app.website %}<p><a href="{{ app.website }}" rel="noopener">{{ app.website }}</a></p>
{% endif %}
<p>Signed in as {{ email }}. If you allow it, {{ app.name }} will be able to:</p>
<ul id="scopes">{% for scope, words in scopes %}<li title="{{ scope }}">{{ words }}</li>
{% endfor %}</ul>
<form method="post" action="/oauth/authorize">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
{% for name, value in params %}<input type="hidden" name="{{ name }}" value="{{ value }}">
{% endfor %}
<button class="allow" type="submit" name="decision" value="allow">Allow</button>
<button class="deny" type="submit" name="decision" value="deny">Deny</button>
</form>{% endblock %}"""

_ERROR = """{% extends "layout" %}{% block title %}Authorization error{% endblock %}
{% block body %}<h1>This authorization request cannot continue</h1>
<p class="error"><code>{{ error }}</code>: {{ description }}</p>
<p>Return to the app and try again, or contact its developer.</p>{% endblock %}"""

_env = Environment(
    loader=DictLoader({"layout": _LAYOUT, "login": _LOGIN, "consent": _CONSENT, "error": _ERROR}),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def render(name: str, **context: Any) -> str:
    return _env.get_template(name).render(**context)
