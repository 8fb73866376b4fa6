"""Start-up of the action server: its services are built, and its door locked, before it serves.

rasa_sdk (3.6) imports a top-level package named `rasa_sdk_plugins`, if there
is one on the path, when the action server starts (`rasa run actions` and
`python -m rasa_sdk` alike), after it has imported the `actions` package and
before it listens. Its hook:

- builds actions/runtime.py from the settings, so a malformed setting, a
  missing ACTION_SERVER_TOKEN or a secret left at its demo value outside
  APP_ENV=development stops the server at once with a Vietnamese message,
  instead of failing on the first citizen's question;
- makes the server listen on SANIC_HOST, loopback unless set (rasa_sdk alone
  would listen on every interface);
- adds a request middleware (`require_token`): every call but GET /health
  must carry the token as the `token` query parameter, which is how Rasa's
  `action_endpoint` sends its `token:` (rasa/utils/endpoints.py,
  EndpointConfig.combine_parameters). Without it: 401, and no action runs.

The hook also makes the server's logs and error answers carry nothing
personal: every log record is cleaned (safe_logging), and an action that
raises gets a 500 naming the action and the exception's type only, where
rasa_sdk's own handler would log the exception's message and send the whole
tracker back to Rasa, which logs it.
"""
from __future__ import annotations

import hmac
import logging
import sys

import pluggy
from sanic import response

from safe_logging import install as install_safe_logging
from settings import SettingsError, bind_action_server
from storage.engine import MissingDatabase

hookimpl = pluggy.HookimplMarker("rasa_sdk")
logger = logging.getLogger(__name__)

OPEN_PATHS = frozenset({"/health"})
TOKEN_PARAMETER = "token"
REFUSED = "Thiếu hoặc sai mã truy cập của máy chủ actions (tham số token, ACTION_SERVER_TOKEN)."


def require_token(app, token: str) -> None:
    """Refuse (401, JSON) every request but GET /health that lacks `token` in its query.

    The comparison is constant-time. `token` must not be empty (ValueError).
    """
    if not token:
        raise ValueError("the action server's token is empty")
    expected = token.encode("utf-8")

    @app.middleware("request")
    async def check_token(request):
        if request.method in ("GET", "HEAD") and request.path in OPEN_PATHS:
            return None
        given = request.args.get(TOKEN_PARAMETER) or ""
        if hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected):
            return None
        from sanic import response

        logger.warning("action server: call without a valid token refused (%s)", request.path[:64])
        return response.json({"error": REFUSED}, status=401)


class ActionServerStart:
    @hookimpl
    def attach_sanic_app_extensions(self, app) -> None:
        from actions import runtime

        install_safe_logging()
        try:
            runtime.start()
            settings = runtime.settings()
        except (SettingsError, MissingDatabase) as exc:
            message = f"Máy chủ actions không khởi động: {exc}"
            logger.error(message)
            print(message, file=sys.stderr, flush=True)
            raise SystemExit(2) from None
        app.error_handler.add(Exception, action_failed)
        require_token(app, settings.action_server_token)
        bind_action_server(settings)


async def action_failed(request, exception: Exception):
    """A failing action: logged by action name and exception type (the record is cleaned), answered without the tracker."""
    try:
        body = request.json if isinstance(request.json, dict) else {}
    except Exception:  # the body itself may be what failed
        body = {}
    action = body.get("next_action")
    action = action if isinstance(action, str) and action.isidentifier() else "?"
    logger.error("action %s failed: %s", action, type(exception).__name__, exc_info=exception)
    return response.json({"error": f"action {action} failed: {type(exception).__name__}", "action_name": action},
                         status=500)


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(ActionServerStart())
