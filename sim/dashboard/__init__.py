"""The interactive dashboard: a small comparison in the browser, in French or English.

``resim task=dashboard`` serves it (``dashboard.host``, ``dashboard.port``); so does
``solara run sim.dashboard.app``. The page (:mod:`sim.dashboard.app`, built with Solara, the
toolkit of Mesa's own visualisation) lets a user choose packages, pillar doses, the shock
regime and a scheduled shock, runs a comparison of a few hundred households in a few seconds
(:mod:`sim.dashboard.engine`) and shows the fan chart of herds and the effect bars.
"""

from __future__ import annotations

import os


def serve(host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve the dashboard until interrupted (Ctrl-C).

    Parameters
    ----------
    host
        Address to listen on (``127.0.0.1``: this machine only).
    port
        TCP port.
    """
    import warnings

    import uvicorn
    from solara.server import settings

    settings.main.mode = "production"
    os.environ["SOLARA_APP"] = "sim.dashboard.app"
    os.environ["SERVER_NAME"] = host
    os.environ["SERVER_PORT"] = str(port)
    # plain http on a local address: Solara's advice about https cookies does not apply
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    print(f"resim: dashboard at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=host, port=port, log_level="warning")
