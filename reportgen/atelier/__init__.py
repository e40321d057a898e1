"""L'atelier: a local (or shared) web application to edit, check, preview and produce reports.

``reportgen atelier`` starts it; ``create_app`` makes the ASGI application (for tests and for
a server run by IT). See the README, section « L’atelier ».
"""
import html
import os
import tempfile
from pathlib import Path

from .app import AtelierConfig, create_app

__all__ = ["AtelierConfig", "create_app", "serve", "launch_file"]


def launch_file(url: str) -> Path:
    """A page readable by this user only that sends the browser on to ``url``: the secret never
    appears on the browser's command line, where other users of the machine could read it."""
    handle, name = tempfile.mkstemp(prefix="atelier-", suffix=".html")   # created 0600
    page = (f'<!DOCTYPE html><html lang="fr-CA"><head><meta charset="utf-8"><meta http-equiv="refresh" '
            f'content="0;url={html.escape(url)}"><title>Atelier des bilans</title></head><body>'
            f'<p><a href="{html.escape(url)}">Ouvrir l’atelier</a></p></body></html>')
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(page)
    return Path(name)


def serve(config: AtelierConfig, open_browser: bool = True) -> None:
    """Run the atelier until interrupted; in local mode, open the browser on its secret address."""
    import threading
    import webbrowser

    import uvicorn

    app = create_app(config)
    if open_browser and not config.shared:
        threading.Timer(1.0, webbrowser.open, (launch_file(config.launch_url()).as_uri(),)).start()
    uvicorn.run(app, host=config.host, port=config.port, log_level="warning", server_header=False,
                proxy_headers=config.shared, forwarded_allow_ips="127.0.0.1" if config.shared else None)
