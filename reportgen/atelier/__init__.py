"""L'atelier: a local (or shared) web application to edit, check, preview and produce reports.

``reportgen atelier`` starts it; ``create_app`` makes the ASGI application (for tests and for
a server run by IT). See the README, section « L’atelier ».
"""
from .app import AtelierConfig, create_app

__all__ = ["AtelierConfig", "create_app", "serve"]


def serve(config: AtelierConfig, open_browser: bool = True) -> None:
    """Run the atelier until interrupted; in local mode, open the browser on its secret address."""
    import threading
    import webbrowser

    import uvicorn

    app = create_app(config)
    if open_browser and not config.shared:
        threading.Timer(1.0, webbrowser.open, (config.launch_url(),)).start()
    uvicorn.run(app, host=config.host, port=config.port, log_level="warning", server_header=False,
                proxy_headers=config.shared, forwarded_allow_ips="127.0.0.1" if config.shared else None)
