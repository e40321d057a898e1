#!/usr/bin/env python3
"""How long the atelier takes to answer a change with a fresh preview (target: 0.3 s for a
2-page report on two cores).

    python bench/apercu.py                  # 20 changes of the Estrie report
    python bench/apercu.py --changements 50 --region monteregie --periode 2020-2021

Each change is what the page's script sends after a keystroke: the whole form, one figure
different (so the preview cache never helps), posted to the running application in this
process. Measured: the whole answer (form read, values written through the round trip,
``check``, document, PDF, page images); its stages alone; and a change back to a value
already previewed (the cache).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from atelier_helpers import local_config, page_form, replaced, signed_in  # noqa: E402


def _median_and_worst(samples: list[float]) -> str:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"{statistics.median(samples) * 1000:.0f} ms (90e centile : {p90 * 1000:.0f} ms)"


def main() -> int:
    parser = argparse.ArgumentParser(description="Mesure le délai de l’aperçu de l’atelier après un changement.")
    parser.add_argument("--changements", type=int, default=20, help="nombre de changements mesurés (défaut : 20)")
    parser.add_argument("--region", default="estrie")
    parser.add_argument("--periode", default="2020-2021")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        for name in ("data", "layouts", "assets"):
            shutil.copytree(ROOT / name, project / name)
        client = signed_in(local_config(project))
        url = f"/bilan/{args.region}/{args.periode}/verifier"
        pairs, csrf = page_form(client, args.region, args.periode)
        atelier = client.app.app.state.atelier
        pages = 0

        def change(value: str) -> float:
            nonlocal pages
            started = time.perf_counter()
            answer = client.post(url, data=dict(replaced(pairs, "periode:chiffres.ententes", value)),
                                 headers={"x-csrf-token": csrf}).json()
            elapsed = time.perf_counter() - started
            assert answer["apercu"], answer["messages"]
            pages = answer["apercu"]["pages"]
            return elapsed

        change("1")  # the first answer loads fonts and layouts: the server does it once
        fresh = [change(str(100 + n)) for n in range(args.changements)]
        cached = [change(str(100 + n)) for n in range(min(args.changements, 10))]

        workspace, previewer = atelier.workspace, atelier.previewer
        region = workspace.region_file(args.region).read_text(encoding="utf-8")
        period = workspace.period_file(args.region, args.periode).read_text(encoding="utf-8")
        checks, renders = [], []
        for n in range(args.changements):
            text = period + f"# changement {n}\n"   # a new text each time, the same report
            started = time.perf_counter()
            check = workspace.check_texts(args.region, args.periode, region, text)
            checks.append(time.perf_counter() - started)
            started = time.perf_counter()
            previewer._render(check.document, False)
            renders.append(time.perf_counter() - started)

    print(f"Aperçu de l’atelier — {args.region} {args.periode} ({pages} pages), {args.changements} changements\n")
    print("| mesure | médiane |\n| --- | --- |")
    print(f"| changement → réponse avec l’aperçu à jour (tout compris) | {_median_and_worst(fresh)} |")
    print(f"| dont la vérification (`check` du bilan, modèle de document compris) | {_median_and_worst(checks)} |")
    print(f"| dont le PDF et les images des pages | {_median_and_worst(renders)} |")
    print(f"| retour à une valeur déjà vue (cache) | {_median_and_worst(cached)} |")
    target = statistics.median(fresh) <= 0.3
    print(f"\nObjectif 0,3 s : {'atteint' if target else 'NON atteint'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
