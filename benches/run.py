#!/usr/bin/env python3
"""Side-by-side benchmark: `relocate plan` against the GeoPandas + HiGHS peer, on the same inputs.

Steps:
1. `cargo build --release` (skip with --no-build).
2. The bundled Binh Duong scenario ("bundled": land for every factory, so the MIP's cost can be
   held against ours), and `relocate synth` a scenario per size (fixed seeds) into a scratch
   folder outside the repo (default /tmp/relocate-bench); a scenario already there is reused
   (synth is deterministic).
3. `relocate plan --quiet` under `/usr/bin/time -v` (wall, CPU, peak RSS); read timings.json and
   summary.json.
4. The peer (benches/peer/peer.py) in a venv made with `python3 -m venv` + pip from PyPI when
   missing, under `/usr/bin/time -v`, with the same scenario; it prints its figures as JSON.
5. Cross-check the answers: verdict counts, per-factory verdicts and criteria, every one of our
   assignments among the peer's candidate pairs at the same cost, placed counts, objective.
6. Write benches/results/latest.json and latest.md (with the machine load: other work shares it).

Only the Python standard library is needed to run this file.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PEER = REPO / "benches" / "peer"
RESULTS = REPO / "benches" / "results"
BINARY = REPO / "target" / "release" / "relocate"

# factories -> (parks, seed). Parks as the issue asks: 25 / 500 / 2,000.
SIZES = {2_900: (25, 2900), 100_000: (500, 100_000), 1_000_000: (2_000, 1_000_000)}
# The bundled Binh Duong scenario ("bundled" in --sizes): real park areas, land enough for every
# factory, so the MIP's plan places the same factories as ours and the costs compare directly.
BUNDLED = REPO / "fixtures" / "binh-duong" / "scenario.toml"
STAGES = ["read", "validate", "assess", "candidates", "allocate", "write"]
VERDICTS = ["must_relocate", "encouraged", "may_stay", "out_of_scope"]


def log(msg: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def load() -> dict:
    """The machine's load when a figure is taken: the timings mean little without it."""
    one, five, fifteen = os.getloadavg()
    return {"load_1m": round(one, 2), "load_5m": round(five, 2), "load_15m": round(fifteen, 2), "cpus": os.cpu_count()}


def timed(cmd: list[str], stdout_path: Path | None = None, cwd: Path | None = None,
          stderr_path: Path | None = None, kill_after_s: float | None = None) -> dict:
    """Runs a command under /usr/bin/time -v; returns wall/CPU seconds, peak RSS and exit code.
    With `kill_after_s`, the command is killed when it runs longer (recorded as `killed`)."""
    time_log = (stdout_path or Path("/tmp/relocate-bench-time")).with_suffix(".time")
    before = load()
    killed = False
    with open(stdout_path or os.devnull, "wb") as out, open(stderr_path or os.devnull, "wb") as err:
        proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", str(time_log), *cmd], stdout=out,
                                stderr=err if stderr_path else None, cwd=cwd)
        try:
            rc = proc.wait(timeout=kill_after_s)
        except subprocess.TimeoutExpired:
            # /usr/bin/time reports on its child when the child dies: kill the child, not time.
            for child in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split():
                os.kill(int(child), 9)
            rc = proc.wait()
            killed = True
    text = time_log.read_text() if time_log.exists() else ""

    def field(label: str) -> str:
        m = re.search(rf"{re.escape(label)}: (.+)", text)
        return m.group(1).strip() if m else ""

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(p) for p in wall.split(":")] if wall else [0.0]
    wall_s = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    return {
        "exit_code": rc,
        "killed_after_s": kill_after_s if killed else None,
        "wall_seconds": round(wall_s, 2),
        "cpu_seconds": round(float(field("User time (seconds)") or 0) + float(field("System time (seconds)") or 0), 2),
        "peak_rss_mib": round(int(field("Maximum resident set size (kbytes)") or 0) / 1024.0, 1),
        "load_before": before,
        "load_after": load(),
    }


def venv_python(scratch: Path) -> Path:
    venv = scratch / "venv"
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import geopandas, highspy, shapely, pyogrio, pyproj"]
    if python.exists() and subprocess.call(probe, stderr=subprocess.DEVNULL) == 0:
        return python
    log(f"installing the peer's requirements into {venv}")
    subprocess.check_call([sys.executable, "-m", "venv", str(venv)])
    subprocess.check_call([str(python), "-m", "pip", "install", "-q", "-r", str(PEER / "requirements.txt")])
    return python


def label(row: dict) -> str:
    """How a row is named in the tables: its factory count, and the bundled scenario by name."""
    return f"{row['factories']:,} (Binh Duong)" if row.get("case") == "bundled" else f"{row['factories']:,}"


def synth(scratch: Path, factories: int) -> Path:
    parks, seed = SIZES[factories]
    folder = scratch / f"scenario-{factories}-{parks}-s{seed}"
    scenario = folder / "scenario.toml"
    if not scenario.exists():
        log(f"synth {factories} factories, {parks} parks, seed {seed}")
        if folder.exists():
            shutil.rmtree(folder)
        subprocess.check_call(
            [str(BINARY), "synth", "--factories", str(factories), "--parks", str(parks), "--seed", str(seed), "--out", str(folder)]
        )
    return scenario


def run_ours(scenario: Path, out: Path) -> dict:
    if out.exists():
        shutil.rmtree(out)
    log(f"relocate plan {scenario}")
    run = timed([str(BINARY), "plan", "--scenario", str(scenario), "--out", str(out), "--quiet"], out.with_suffix(".stdout"))
    if run["exit_code"] != 0:
        return {"run": run}
    timings = json.loads((out / "timings.json").read_text())
    summary = json.loads((out / "summary.json").read_text())
    stages = {s["stage"]: s for s in timings["stages"]}
    # Placed counts per tier, from the per-factory table.
    must_placed = enc_placed = 0
    with open(out / "factories.csv", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["status"] == "assigned":
                if row["verdict"] == "must_relocate":
                    must_placed += 1
                else:
                    enc_placed += 1
    return {
        "run": run,
        "stages": {k: {"seconds": round(stages[k]["seconds"], 3), "peak_memory_mib": round(stages[k]["peak_memory_mib"], 1)} for k in STAGES if k in stages},
        "stage_seconds_total": round(sum(s["seconds"] for s in timings["stages"]), 3),
        "verdicts": {v: summary[v] for v in VERDICTS},
        "criteria_met": {c["code"]: c["met"] for c in summary.get("criteria", [])},
        "assigned": summary["assigned"],
        "must_placed": must_placed,
        "encouraged_placed": enc_placed,
        "objective": summary["objective"],
        "lower_bound": summary["lower_bound"],
        "gap": summary["gap"],
    }


def run_ours_geojson(scenario: Path, out: Path) -> dict:
    """Issue 7's national-scale target: from the files to the GeoJSON outputs only
    (`--formats geojson`: factories, parks, moves, plus summary.json and timings.json)."""
    if out.exists():
        shutil.rmtree(out)
    log(f"relocate plan --formats geojson {scenario}")
    run = timed([str(BINARY), "plan", "--scenario", str(scenario), "--out", str(out), "--quiet", "--formats", "geojson"],
                out.with_suffix(".stdout"))
    if run["exit_code"] != 0:
        return {"run": run}
    timings = json.loads((out / "timings.json").read_text())
    stages = {s["stage"]: s for s in timings["stages"]}
    return {
        "run": run,
        "stages": {k: {"seconds": round(stages[k]["seconds"], 3), "peak_memory_mib": round(stages[k]["peak_memory_mib"], 1)} for k in STAGES if k in stages},
        "stage_seconds_total": round(sum(s["seconds"] for s in timings["stages"]), 3),
    }


def run_peer(python: Path, scenario: Path, out: Path, time_limit: float) -> dict:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    log(f"peer {scenario} (MIP time limit {time_limit:.0f} s)")
    stdout = out / "peer.json"
    # HiGHS does not always stop at its time limit (ERGO-Code/HiGHS#885, #1278, #2226): a hard
    # stop, generous enough for reading, overlays and model building.
    run = timed(
        [str(python), str(PEER / "peer.py"), "--scenario", str(scenario), "--out", str(out),
         "--time-limit", str(time_limit), "--dump-candidates", str(out / "candidates.csv")],
        stdout, stderr_path=out / "peer.stderr", kill_after_s=time_limit * 1.5 + 300,
    )
    if run["exit_code"] != 0:
        # The stages finished before the stop, from the peer's per-stage lines.
        done = []
        for line in (out / "peer.stderr").read_text().splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict) and "stage" in row:
                done.append(row)
        return {"run": run, "stages_done": {r["stage"]: {"seconds": round(r["seconds"], 3), "peak_memory_mib": round(r["peak_memory_mib"], 1)} for r in done}}
    report = json.loads(stdout.read_text())
    stages = {s["stage"]: s for s in report["stages"]}
    return {
        "run": run,
        "stages": {k: {"seconds": round(stages[k]["seconds"], 3), "peak_memory_mib": round(stages[k]["peak_memory_mib"], 1)} for k in STAGES if k in stages},
        "stage_seconds_total": round(report["total_seconds"], 3),
        "verdicts": {v: report[v] for v in VERDICTS},
        "criteria_met": report["criteria_met"],
        "candidate_pairs": report["candidate_pairs"],
        "assigned": report["assigned"],
        "must_placed": report["must_placed"],
        "encouraged_placed": report["encouraged_placed"],
        "objective": report["objective"],
        "lower_bound": None if report["lower_bound"] is None else round(report["lower_bound"], 3),
        "gap": report["gap"],
        "max_capacity_excess_ha": report["max_capacity_excess_ha"],
        "mip": report["mip"],
        "versions": report["versions"],
    }


def cross_check(ours_out: Path, peer_out: Path) -> dict:
    """Per factory: same verdict and criteria; each of our moves is one of the peer's candidate
    pairs at the same cost (so both solve the same assignment problem)."""
    with open(ours_out / "factories.csv", encoding="utf-8-sig", newline="") as f:
        ours = {r["id"]: (r["verdict"], r["criteria"], r["status"], r["park_id"], r["cost"]) for r in csv.DictReader(f)}
    with open(peer_out / "plan.csv", encoding="utf-8-sig", newline="") as f:
        peer = {r["id"]: (r["verdict"], r["criteria"]) for r in csv.DictReader(f)}
    pairs: dict[tuple[str, str], float] = {}
    with open(peer_out / "candidates.csv", newline="") as f:
        for r in csv.DictReader(f):
            pairs[(r["factory_id"], r["park_id"])] = float(r["cost"])
    verdict_diff = sum(1 for i, o in ours.items() if peer.get(i, ("", ""))[0] != o[0])
    criteria_diff = sum(1 for i, o in ours.items() if peer.get(i, ("", ""))[1] != o[1])
    moves = missing = cost_diff = 0
    for i, (_, _, status, park, cost) in ours.items():
        if status != "assigned":
            continue
        moves += 1
        c = pairs.get((i, park))
        if c is None:
            missing += 1
        elif abs(c - float(cost)) > 1.5e-3:  # our CSV rounds costs to 0.001
            cost_diff += 1
    return {
        "factories_compared": len(ours),
        "verdict_differences": verdict_diff,
        "criteria_differences": criteria_diff,
        "our_moves": moves,
        "our_moves_not_in_peer_candidates": missing,
        "our_moves_with_a_different_cost": cost_diff,
    }


def fmt_s(x) -> str:
    return "—" if x is None else (f"{x:.2f}" if x < 100 else f"{x:.0f}")


def markdown(result: dict) -> str:
    m = result["machine"]
    lines = [
        "# relocate vs GeoPandas + HiGHS",
        "",
        f"Run {result['date']} on {m['cpu']} ({m['cpus']} CPUs, {m['memory_gib']} GiB), commit `{result['commit']}`. "
        f"Load average at the start: {m['load_at_start']['load_1m']} (1 min), at the end: {m['load_at_end']['load_1m']}; "
        "each row gives the load when it started. Wall times move with whatever else shares the machine; CPU seconds "
        "less so.",
        "",
        "Same inputs for both: the bundled Binh Duong scenario, and `relocate synth` scenarios (fixed seeds). relocate: `target/release/relocate plan --quiet`, "
        "its own stage timings (timings.json); the peer: `benches/peer/peer.py` (GeoPandas "
        f"{result.get('peer_versions', {}).get('geopandas', '?')}, shapely {result.get('peer_versions', {}).get('shapely', '?')}, "
        f"HiGHS {result.get('peer_versions', {}).get('highs', '?')}), MIP time limit {result['time_limit_s']:.0f} s.",
        "Peak memory is the process's maximum RSS from `/usr/bin/time -v`. relocate's `write` makes GeoPackage + "
        "QGIS project + SVG/PNG/PDF map + HTML report + CSV/GeoJSON; the peer's writes a GeoPackage and a CSV only, "
        "so the ratio is given both with and without `write`.",
        "",
        "## Stage times (seconds, wall)",
        "",
        "| factories | tool | read | validate | assess | candidates | allocate | write | total | total w/o write | process wall | CPU s | peak RSS MiB | load 1m |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["sizes"]:
        for tool in ("ours", "peer"):
            r = row.get(tool)
            if not r or "stages" not in r:
                if r is not None:
                    done = r.get("stages_done", {})
                    why = (f"killed after {r['run']['killed_after_s']:.0f} s" if r["run"].get("killed_after_s")
                           else f"failed (exit {r['run']['exit_code']})")
                    name = "relocate" if tool == "ours" else "GeoPandas+HiGHS"
                    lines.append(
                        f"| {label(row)} | {name} | "
                        + " | ".join(fmt_s(done[s]["seconds"]) if s in done else ("**" + why + "**" if s == next((x for x in STAGES if x not in done), None) else "—") for s in STAGES)
                        + f" | — | — | {fmt_s(r['run']['wall_seconds'])} | {fmt_s(r['run']['cpu_seconds'])} | {r['run']['peak_rss_mib']:.0f} | {r['run']['load_before']['load_1m']} |"
                    )
                continue
            st = r["stages"]
            no_write = r["stage_seconds_total"] - st.get("write", {}).get("seconds", 0)
            name = "relocate" if tool == "ours" else "GeoPandas+HiGHS"
            lines.append(
                f"| {label(row)} | {name} | "
                + " | ".join(fmt_s(st.get(s, {}).get("seconds")) for s in STAGES)
                + f" | {fmt_s(r['stage_seconds_total'])} | {fmt_s(no_write)} | {fmt_s(r['run']['wall_seconds'])} | "
                f"{fmt_s(r['run']['cpu_seconds'])} | {r['run']['peak_rss_mib']:.0f} | {r['run']['load_before']['load_1m']} |"
            )
        g = row.get("ours_geojson")
        if g and "stages" in g:
            st = g["stages"]
            lines.append(
                f"| {label(row)} | relocate `--formats geojson` | "
                + " | ".join(fmt_s(st.get(s, {}).get("seconds")) for s in STAGES)
                + f" | {fmt_s(g['stage_seconds_total'])} | — | {fmt_s(g['run']['wall_seconds'])} | "
                f"{fmt_s(g['run']['cpu_seconds'])} | {g['run']['peak_rss_mib']:.0f} | {g['run']['load_before']['load_1m']} |"
            )
    lines += [
        "",
        "## Side by side",
        "",
        "| factories | parks | peer / relocate (total) | (w/o write) | (assess only) | verdict counts equal | per-factory verdicts differing | our moves in peer's candidates, same cost | must placed relocate / MIP | encouraged placed relocate / MIP | objective relocate | objective MIP | MIP lower bound | relocate lower bound | relocate above the MIP's plan / its bound | MIP status |",
        "|---:|---:|---:|---:|---:|---|---:|---|---|---|---:|---:|---:|---:|---|---|",
    ]
    for row in result["sizes"]:
        o, p, x = row.get("ours"), row.get("peer"), row.get("check")
        if not o or "stages" not in o:
            continue
        if p and "stages" not in p:
            vc = p.get("verdicts")
            lines.append(
                f"| {label(row)} | {row['parks']:,} | peer did not finish | | "
                f"{fmt_s(p['stages_done']['assess']['seconds'] / max(o['stages']['assess']['seconds'], 1e-9)) + '×' if 'assess' in p.get('stages_done', {}) else ''} | "
                f"{('yes' if vc == o['verdicts'] else 'NO') if vc else ''} | {x['verdict_differences'] if x else ''} | | {o['must_placed']:,} / — | {o['encouraged_placed']:,} / — | "
                f"{o['objective']:,.1f} | — | — | {o['lower_bound']:,.1f} | — | no plan: HiGHS still running at the hard stop |"
            )
            continue
        if not p or "stages" not in p:
            lines.append(
                f"| {label(row)} | {row['parks']:,} | peer not run | | | | | | {o['must_placed']:,} / — | {o['encouraged_placed']:,} / — | "
                f"{o['objective']:,.1f} | — | — | {o['lower_bound']:,.1f} | — | — |"
            )
            continue
        ratio = p["stage_seconds_total"] / o["stage_seconds_total"]
        ow = o["stage_seconds_total"] - o["stages"]["write"]["seconds"]
        pw = p["stage_seconds_total"] - p["stages"]["write"]["seconds"]
        ra = p["stages"]["assess"]["seconds"] / max(o["stages"]["assess"]["seconds"], 1e-9)
        same = o["verdicts"] == p["verdicts"]
        moves_ok = f"{x['our_moves'] - x['our_moves_not_in_peer_candidates'] - x['our_moves_with_a_different_cost']:,} / {x['our_moves']:,}" if x else "—"
        lb = p["lower_bound"]
        lines.append(
            f"| {label(row)} | {row['parks']:,} | {ratio:.1f}× | {pw / ow:.1f}× | {ra:.1f}× | {'yes' if same else 'NO'} | "
            f"{x['verdict_differences'] if x else '—'} | {moves_ok} | {o['must_placed']:,} / {p['must_placed']:,} | "
            f"{o['encouraged_placed']:,} / {p['encouraged_placed']:,} | {o['objective']:,.1f} | {p['objective']:,.1f} | "
            f"{'—' if lb is None else f'{lb:,.1f}'} | {o['lower_bound']:,.1f} | {above_mip(o, p)} | {p['mip']['status']} in {p['mip']['seconds']:.0f} s |"
        )
    g = result.get("growth")
    if g:
        lines += ["", "## Growth of relocate's time", "", "| from → to | factories × | time × (stages) | CPU × | near-linear (≤ 12× per 10×) |", "|---|---:|---:|---:|---|"]
        for step in g:
            lines.append(
                f"| {step['from']:,} → {step['to']:,} | {step['factor']:.1f} | {step['time_factor']:.1f} | {step['cpu_factor']:.1f} | {'yes' if step['near_linear'] else 'no'} |"
            )
    if result.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {n}" for n in result["notes"]]
    return "\n".join(lines) + "\n"


def above_mip(o: dict, p: dict) -> str:
    """Our cost above the MIP's plan and above the MIP's proven lower bound, when both plans place
    the same numbers of factories (the costs then answer the same question; otherwise the plan
    placing more factories is the better one under the priority rule, whatever it costs)."""
    if (o["must_placed"], o["encouraged_placed"]) != (p["must_placed"], p["encouraged_placed"]):
        return "places different factories"
    best = f"{100 * (o['objective'] - p['objective']) / p['objective']:+.4f} %"
    if p["lower_bound"] is None:
        return f"{best} / —"
    return f"{best} / {100 * (o['objective'] - p['lower_bound']) / p['lower_bound']:+.4f} %"


def growth_of(rows: list[dict]) -> list[dict]:
    """relocate's time from one size to the next: near-linear when 10x factories take <= 12x time."""
    growth = []
    done = [r for r in rows if "stages" in r.get("ours", {}) and r.get("case") != "bundled"]
    for a, b in zip(done, done[1:]):
        factor = b["factories"] / a["factories"]
        tf = b["ours"]["stage_seconds_total"] / a["ours"]["stage_seconds_total"]
        cf = b["ours"]["run"]["cpu_seconds"] / max(a["ours"]["run"]["cpu_seconds"], 1e-9)
        growth.append({"from": a["factories"], "to": b["factories"], "factor": factor, "time_factor": tf, "cpu_factor": cf,
                       "near_linear": tf <= factor * 1.2})
    return growth


def merge(files: list[Path], results: Path, notes: list[str]) -> int:
    """Combines runs made separately (e.g. the 1M run on its own) into one result."""
    merged = json.loads(files[0].read_text())
    by_size = {label(r): r for r in merged["sizes"]}
    for f in files[1:]:
        other = json.loads(f.read_text())
        for r in other["sizes"]:
            if "stages" in r.get("ours", {}) or label(r) not in by_size:
                r["from_run"] = {"date": other["date"], "machine": other["machine"]}
                by_size[label(r)] = r
    merged["sizes"] = sorted(by_size.values(), key=lambda r: (r.get("case") != "bundled", r["factories"]))
    merged["growth"] = growth_of(merged["sizes"])
    merged["notes"] = merged.get("notes", []) + notes
    results.mkdir(parents=True, exist_ok=True)
    (results / "latest.json").write_text(json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
    (results / "latest.md").write_text(markdown(merged))
    log(f"wrote {results / 'latest.md'}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description="relocate vs GeoPandas + HiGHS, side by side")
    ap.add_argument("--sizes", default="bundled,2900,100000,1000000", help="comma-separated: bundled (the Binh Duong scenario) and synthetic factory counts (2900, 100000, 1000000)")
    ap.add_argument("--skip-1m", action="store_true", help="leave out the 1,000,000-factory run")
    ap.add_argument("--peer-sizes", default="bundled,2900,100000", help="sizes the peer runs at (it is skipped at the others)")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--scratch", type=Path, default=Path("/tmp/relocate-bench"))
    ap.add_argument("--time-limit", type=float, default=600.0, help="the peer's MIP time limit, seconds")
    ap.add_argument("--note", action="append", default=[], help="a line for the Notes section")
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--binary", type=Path, default=None, help="a relocate release binary to use instead of target/release/relocate (implies --no-build)")
    ap.add_argument("--merge", type=Path, nargs="+", default=None, metavar="JSON",
                    help="no runs: take the rows of these result files (later files win per size) and rewrite the results")
    args = ap.parse_args()
    if args.merge:
        return merge(args.merge, args.results, args.note)

    def size(text: str):
        return text if text == "bundled" else int(text)

    try:
        sizes = [size(s) for s in args.sizes.split(",") if s]
        peer_sizes = set() if args.no_peer else {size(s) for s in args.peer_sizes.split(",") if s}
    except ValueError as e:
        ap.error(f"--sizes / --peer-sizes: {e}")
    if args.skip_1m:
        sizes = [s for s in sizes if s == "bundled" or s < 1_000_000]
    unknown = [s for s in sizes if s != "bundled" and s not in SIZES]
    if unknown:
        ap.error(f"unknown size(s) {unknown}; choose among bundled, {', '.join(map(str, sorted(SIZES)))}")
    args.scratch.mkdir(parents=True, exist_ok=True)

    global BINARY
    if args.binary is not None:
        BINARY, args.no_build = args.binary.resolve(), True
    start_load = load()
    if not args.no_build:
        log("cargo build --release")
        subprocess.check_call(["cargo", "build", "--release", "--bin", "relocate"], cwd=REPO)
    python = venv_python(args.scratch) if peer_sizes & set(sizes) else None

    rows = []
    peer_versions = {}
    for n in sizes:
        if n == "bundled":
            scenario = BUNDLED
            layer = json.loads((BUNDLED.parent / "parks.geojson").read_text())
            count = len(json.loads((BUNDLED.parent / "factories.geojson").read_text())["features"])
            row = {"factories": count, "parks": len(layer["features"]), "case": "bundled", "scenario": str(scenario)}
        else:
            parks, seed = SIZES[n]
            scenario = synth(args.scratch, n)
            row = {"factories": n, "parks": parks, "seed": seed, "case": "synthetic", "scenario": str(scenario)}
        ours_out = args.scratch / f"out-ours-{n}"
        row["ours"] = run_ours(scenario, ours_out)
        if n != "bundled" and n >= 1_000_000:
            row["ours_geojson"] = run_ours_geojson(scenario, args.scratch / f"out-ours-geojson-{n}")
        if n in peer_sizes and python is not None:
            peer_out = args.scratch / f"out-peer-{n}"
            row["peer"] = run_peer(python, scenario, peer_out, args.time_limit)
            if "stages" in row["peer"] and "stages" in row["ours"]:
                row["check"] = cross_check(ours_out, peer_out)
                peer_versions = row["peer"].get("versions", peer_versions)
        rows.append(row)
        log(json.dumps({k: v for k, v in row.items() if k in ("factories", "case", "check")}))

    growth = growth_of(rows)

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    result = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": commit,
        "binary": str(BINARY),
        "machine": {"cpu": cpu, "cpus": os.cpu_count(), "memory_gib": round(mem, 1), "load_at_start": start_load, "load_at_end": load()},
        "time_limit_s": args.time_limit,
        "peer_versions": peer_versions,
        "sizes": rows,
        "growth": growth,
        "notes": args.note,
    }
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    (args.results / "latest.md").write_text(markdown(result))
    log(f"wrote {args.results / 'latest.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
