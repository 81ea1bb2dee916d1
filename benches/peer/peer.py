#!/usr/bin/env python3
"""The peer: what a GIS analyst would script instead of `relocate plan`.

GeoPandas reads the scenario's GeoJSON layers and reprojects them to the same WGS 84 / UTM zone
(the zone of the centre of the data's lon/lat extent, as `relocate` chooses it); the four-criteria
overlays run on shapely 2's STRtree (`sjoin` and `STRtree.query` with `dwithin`); the candidate
parks and their costs follow `relocate`'s rules; HiGHS solves the assignment as a MIP.

Rules mirrored from the Rust sources (src/criteria/*.rs, src/candidates/*.rs, src/allocation):

* Scope: district = `district` field (trimmed), else the districts polygon at the factory's
  location (interior first, then boundary, layer order). Out of scope when the location touches any
  park polygon, or the origin area is set and the district is unknown or not in it. Names compare
  after NFC + case folding. Deadline from `[phasing] deadlines`, else `default_deadline`.
* A criterion is met when its record holds, or the record is unknown and the screening hits and
  `criteria.screening` is true (the `decide` table: only "met" matters for the verdict).
  C1: site inside a corridor polygon (touching counts) or within width_m/2 of a corridor line.
  C2: a receptor, or a zone of a sensitive use, strictly closer than the hazard class's separation.
  C3: a fire rule for the factory's fire risk names the planned use of a zone at the location.
  C4: a zone at the location whose planned use is not industrial.
  Records: C1 construction_violation; C2/C3 violation and not remediable holds, violation with
  remediability unknown is unknown; C4 land_use_conforming = false holds.
* Verdict: must_relocate if any criterion is met, else encouraged (wants_relocation, or the sector /
  hazard class encouragement rule), else may_stay.
* Candidates: destination parks (district in `[area] destination`, available_ha > 0); eligible when
  available_ha >= land_ha, the sector is accepted, the hazard class is accepted, and the park is
  ready by the deadline; the `candidates_per_factory` nearest (distance, then park id) within
  `max_distance_km`, distance from the factory's location to the park polygon.
* Cost: distance_per_km x km + workforce_per_1000_employee_km x employees/1000 x km
  + cluster_mismatch (park does not list the sector) + class_mismatch (class I/II into eco or
  high_tech) + waiting_per_year x years until ready.
* Allocation: one MIP (HiGHS, default time limit 600 s); the priority of must_relocate over
  encouraged, and of placing over cost, is carried by weights in the objective (see `allocate`).

Prints one JSON object on stdout: stage times and peak memory, verdict counts, criteria met,
placed counts, objective, the MIP's proven bound and gap, and whether each solve finished.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sys
import time
import tomllib
import unicodedata
from pathlib import Path

import geopandas as gpd
import highspy
import numpy as np
import pandas as pd
import shapely

HAZARD = {"I": 0, "II": 1, "III": 2, "IV": 3, "V": 4, "1": 0, "2": 1, "3": 2, "4": 3, "5": 4}
HAZARD_NAMES = ["I", "II", "III", "IV", "V"]
VERDICTS = ["must_relocate", "encouraged", "may_stay", "out_of_scope"]


def fold(name) -> str:
    """NFC, case folding, NFC: how `relocate` compares place and sector names."""
    nfc = unicodedata.normalize("NFC", str(name).strip())
    return unicodedata.normalize("NFC", nfc.casefold())


def vocab(text) -> str | None:
    """Closed vocabularies (planned use, fire risk, park class) parse case-insensitively."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    return str(text).strip().lower().replace("-", "_").replace(" ", "_")


def text_or_none(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    s = str(value).strip()
    return s or None


def tri(column: pd.Series | None, n: int) -> np.ndarray:
    """A nullable boolean column as int8: 1 true, 0 false, -1 unknown (empty is not false)."""
    if column is None:
        return np.full(n, -1, dtype=np.int8)
    out = np.full(n, -1, dtype=np.int8)
    values = column.to_numpy(dtype=object)
    for i, v in enumerate(values):
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            continue
        if isinstance(v, str):
            t = v.strip().lower()
            if t in ("true", "1", "yes"):
                out[i] = 1
            elif t in ("false", "0", "no"):
                out[i] = 0
            continue
        out[i] = 1 if bool(v) else 0
    return out


def name_list(value) -> list[str]:
    """`sectors` / `excluded_sectors`: a JSON array (read as a list or array) or comma-separated text."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return [str(v) for v in json.loads(text)]
        return [p for p in (s.strip() for s in text.split(",")) if p]
    return [str(v) for v in list(value)]


class Stages:
    """Wall time and peak resident memory per stage (the same figures as timings.json)."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.start = time.perf_counter()

    def done(self, stage: str) -> None:
        now = time.perf_counter()
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        self.rows.append({"stage": stage, "seconds": now - self.start, "peak_memory_mib": peak_mib})
        # One line per stage on stderr, so the figures survive a solve that has to be killed.
        print(json.dumps(self.rows[-1]), file=sys.stderr, flush=True)
        self.start = now


# ---------------------------------------------------------------------------------------------
# Read and prepare.


def read_layers(scenario_path: Path) -> tuple[dict, dict]:
    scenario = tomllib.loads(scenario_path.read_text(encoding="utf-8"))
    base = scenario_path.parent
    layers = {}
    for key, rel in scenario.get("inputs", {}).items():
        if key == "fields" or not isinstance(rel, str):
            continue
        layers[key] = gpd.read_file(base / rel, engine="pyogrio")
    if scenario.get("scoring", {}).get("ahp") is not None:
        raise SystemExit("peer: [scoring] ahp is not mirrored; use plain weights")
    if scenario.get("inputs", {}).get("fields"):
        raise SystemExit("peer: [inputs.fields] column mappings are not mirrored")
    return scenario, layers


def utm_epsg(layers: dict) -> int:
    """WGS 84 / UTM zone of the centre of every layer's lon/lat extent (as `relocate` picks it)."""
    bounds = np.array([g.total_bounds for g in layers.values() if len(g)])
    west, south = bounds[:, 0].min(), bounds[:, 1].min()
    east, north = bounds[:, 2].max(), bounds[:, 3].max()
    lon, lat = (west + east) / 2.0, (south + north) / 2.0
    zone = int(math.floor((lon + 180.0) / 6.0)) % 60 + 1
    return (32700 if lat < 0 else 32600) + zone


def validate_and_project(layers: dict) -> tuple[dict, int, list[str]]:
    """Required fields, duplicate ids, valid geometry; then reproject every layer to UTM."""
    problems: list[str] = []
    required = {
        "parks": ["id", "name", "available_ha"],
        "factories": ["id", "name", "sector", "land_ha"],
        "zoning": ["planned_use"],
        "districts": ["name"],
    }
    for key, fields in required.items():
        if key not in layers:
            continue
        g = layers[key]
        for field in fields:
            if field not in g.columns:
                problems.append(f"{key}: field {field} is missing")
            elif g[field].isna().any():
                problems.append(f"{key}: field {field}: {int(g[field].isna().sum())} empty values")
        if "id" in g.columns and g["id"].astype(str).duplicated().any():
            problems.append(f"{key}: duplicate ids")
        bad = ~shapely.is_valid(g.geometry.values)
        if bad.any():
            problems.append(f"{key}: {int(bad.sum())} invalid geometries")
    epsg = utm_epsg(layers)
    projected = {k: g.to_crs(epsg) for k, g in layers.items()}
    return projected, epsg, problems


# ---------------------------------------------------------------------------------------------
# Assess.


def zones_at(locations: np.ndarray, zoning: gpd.GeoDataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """(factory, zone) pairs where the zone polygon holds the location, boundary included."""
    if zoning is None or len(zoning) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    f, z = zoning.sindex.query(locations, predicate="intersects")
    return f, z


def scanline_point(area):
    """A footprint's representative point as `relocate` (geo's InteriorPoint) takes it: the middle
    of the widest stretch of a horizontal line through the middle of the bounding box. GEOS's
    point_on_surface moves its line off the nearest vertex, which shifts the point by metres."""
    polygons = list(area.geoms) if area.geom_type == "MultiPolygon" else [area]
    best = None
    for poly in polygons:
        minx, miny, maxx, maxy = poly.bounds
        y = (miny + maxy) / 2.0
        ys = shapely.get_coordinates(poly)[:, 1]
        if (ys == y).any():
            others = ys[ys != y]
            if len(others):
                y = (y + others[np.argmin(np.abs(others - y))]) / 2.0
        cut = poly.intersection(shapely.LineString([(minx, y), (maxx, y)]))
        parts = [g for g in getattr(cut, "geoms", [cut]) if g.geom_type == "LineString" and not g.is_empty]
        for part in parts:
            if best is None or part.length > best[0]:
                best = (part.length, part.interpolate(0.5, normalized=True))
    return best[1] if best is not None else shapely.point_on_surface(area)


def any_closer(sites: np.ndarray, targets: np.ndarray, limit_m: np.ndarray) -> np.ndarray:
    """Per site: is some target strictly closer than the site's limit (metres)?"""
    hit = np.zeros(len(sites), dtype=bool)
    if len(targets) == 0 or len(sites) == 0:
        return hit
    tree = shapely.STRtree(targets)
    for limit in np.unique(limit_m):
        rows = np.flatnonzero(limit_m == limit)
        s, t = tree.query(sites[rows], predicate="dwithin", distance=limit)
        if len(s) == 0:
            continue
        d = shapely.distance(sites[rows][s], targets[t])
        hit[rows[s[d < limit]]] = True
    return hit


def assess(scenario: dict, layers: dict) -> dict:
    crit = scenario.get("criteria", {})
    area = scenario.get("area", {})
    phasing = scenario.get("phasing", {})
    fac = layers["factories"]
    n = len(fac)
    sites = fac.geometry.values
    is_point = shapely.get_type_id(sites) == 0
    locations = sites.copy()
    footprints = np.flatnonzero(~is_point)
    locations[footprints] = [scanline_point(g) for g in sites[footprints]]

    # --- Scope.
    raw_district = [text_or_none(v) for v in fac["district"]] if "district" in fac else [None] * n
    district: list[str | None] = list(raw_district)
    districts = layers.get("districts")
    missing = np.array([d is None for d in district])
    if districts is not None and len(districts) and missing.any():
        rows = np.flatnonzero(missing)
        f, d = districts.sindex.query(locations[rows], predicate="intersects")
        interior = shapely.contains(districts.geometry.values[d], locations[rows][f])
        # Interior first, then layer order.
        order = np.lexsort((d, ~interior, f))
        seen = set()
        names = districts["name"].to_numpy(dtype=object)
        for k in order:
            if f[k] in seen:
                continue
            seen.add(f[k])
            district[rows[f[k]]] = str(names[d[k]])
    parks = layers["parks"]
    in_park = np.zeros(n, dtype=bool)
    fi, _ = parks.sindex.query(locations, predicate="intersects")
    in_park[fi] = True
    origin = {fold(o) for o in area.get("origin", []) or []}
    key_cache: dict[str, str] = {}

    def key(name: str) -> str:
        k = key_cache.get(name)
        if k is None:
            k = key_cache[name] = fold(name)
        return k

    deadlines = {fold(k): int(v) for k, v in (phasing.get("deadlines") or {}).items()}
    default_deadline = int(phasing.get("default_deadline", 2030))
    deadline = np.array(
        [deadlines.get(key(d), default_deadline) if d is not None else default_deadline for d in district],
        dtype=np.int64,
    )
    if origin:
        outside = np.array([d is None or key(d) not in origin for d in district])
    else:
        outside = np.zeros(n, dtype=bool)
    out_of_scope = in_park | outside

    # --- Records and screening.
    col = lambda name: fac[name] if name in fac.columns else None  # noqa: E731
    screening = bool(crit.get("screening", True))
    hazard = np.array(
        [HAZARD.get(str(h).strip().upper(), -1) if text_or_none(h) else -1 for h in (col("hazard_class") if col("hazard_class") is not None else [None] * n)],
        dtype=np.int64,
    )
    fire_risk = np.array([vocab(r) for r in col("fire_risk")] if col("fire_risk") is not None else [None] * n, dtype=object)

    def met(record_holds: np.ndarray, record_unknown: np.ndarray, hit: np.ndarray, on: bool) -> np.ndarray:
        if not on:
            return np.zeros(n, dtype=bool)
        return record_holds | (record_unknown & hit & screening)

    # C1 construction: inside a corridor polygon, or within width/2 of its centre line.
    cv = tri(col("construction_violation"), n)
    c1_hit = np.zeros(n, dtype=bool)
    corridors = layers.get("corridors")
    if corridors is not None and len(corridors):
        cg = corridors.geometry.values
        kind = shapely.get_type_id(cg)
        polys = np.isin(kind, (3, 6))
        if polys.any():
            s, _ = shapely.STRtree(cg[polys]).query(sites, predicate="intersects")
            c1_hit[s] = True
        lines = ~polys
        if lines.any():
            width = corridors["width_m"].to_numpy(dtype=float)[lines] if "width_m" in corridors else np.zeros(lines.sum())
            line_geoms = cg[lines]
            for w in np.unique(width):
                sel = line_geoms[width == w]
                s, t = shapely.STRtree(sel).query(sites, predicate="dwithin", distance=w / 2.0)
                if len(s):
                    d = shapely.distance(sites[s], sel[t])
                    c1_hit[s[d <= w / 2.0]] = True
    c1 = met(cv == 1, cv == -1, c1_hit, crit.get("construction", True))

    # C2 environment: a sensitive use closer than the separation distance of the hazard class.
    ev, er = tri(col("environment_violation"), n), tri(col("environment_remediable"), n)
    c2_holds = (ev == 1) & (er == 0)
    c2_unknown = (ev == -1) | ((ev == 1) & (er == -1))
    separation = {HAZARD[k.upper()]: float(v) for k, v in (crit.get("separation_m") or {"I": 1000, "II": 500, "III": 300, "IV": 100, "V": 50}).items()}
    limit = np.array([separation.get(h, np.nan) if h >= 0 else np.nan for h in hazard])
    screen = ~np.isnan(limit)
    c2_hit = np.zeros(n, dtype=bool)
    zoning = layers.get("zoning")
    sensitive = {vocab(u) for u in crit.get("sensitive_uses", ["residential", "public"])}
    targets = []
    receptors = layers.get("receptors")
    if receptors is not None and len(receptors):
        targets.append(receptors.geometry.values)
    zone_use = np.array([vocab(u) for u in zoning["planned_use"]], dtype=object) if zoning is not None and len(zoning) else np.array([], dtype=object)
    if len(zone_use):
        targets.append(zoning.geometry.values[np.isin(zone_use, list(sensitive))])
    if targets:
        rows = np.flatnonzero(screen)
        c2_hit[rows] = any_closer(sites[rows], np.concatenate(targets), limit[rows])
    c2 = met(c2_holds, c2_unknown, c2_hit, crit.get("environment", True))

    # Zones at the location drive C3 and C4.
    zf, zz = zones_at(locations, zoning)
    pair_use = zone_use[zz] if len(zz) else np.array([], dtype=object)

    # C3 fire safety: a rule for this fire risk names the planned use of a zone at the location.
    fv, fr = tri(col("fire_violation"), n), tri(col("fire_remediable"), n)
    c3_holds = (fv == 1) & (fr == 0)
    c3_unknown = (fv == -1) | ((fv == 1) & (fr == -1))
    rules = crit.get("fire_rules", [{"fire_risk": "high", "planned_uses": ["residential"]}])
    rule_pairs = {(vocab(r["fire_risk"]), vocab(u)) for r in rules for u in r.get("planned_uses", [])}
    c3_hit = np.zeros(n, dtype=bool)
    if len(zf):
        hits = np.array([(fire_risk[f], u) in rule_pairs for f, u in zip(zf, pair_use)], dtype=bool)
        c3_hit[zf[hits]] = True
    c3 = met(c3_holds, c3_unknown, c3_hit, crit.get("fire_safety", True))

    # C4 land use: a zone at the location whose planned use is not industrial.
    lc = tri(col("land_use_conforming"), n)
    industrial = {vocab(u) for u in crit.get("industrial_uses", ["industrial"])}
    c4_hit = np.zeros(n, dtype=bool)
    if len(zf):
        c4_hit[zf[~np.isin(pair_use, list(industrial))]] = True
    c4 = met(lc == 0, lc == -1, c4_hit, crit.get("land_use", True))

    # --- Verdict.
    must = (c1 | c2 | c3 | c4) & ~out_of_scope
    encourage = crit.get("encourage", {}) or {}
    enc_sectors = {fold(s) for s in encourage.get("sectors", [])}
    enc_classes = {HAZARD[c.upper()] for c in encourage.get("hazard_classes", [])}
    wants = tri(col("wants_relocation"), n) == 1
    sector = fac["sector"].to_numpy(dtype=object)
    sector_key = np.array([key(str(s)) for s in sector], dtype=object)
    encouraged = ~must & ~out_of_scope & (wants | np.isin(sector_key, list(enc_sectors)) | np.isin(hazard, list(enc_classes)))
    verdict = np.full(n, "may_stay", dtype=object)
    verdict[encouraged] = "encouraged"
    verdict[must] = "must_relocate"
    verdict[out_of_scope] = "out_of_scope"
    in_scope = ~out_of_scope
    return {
        "verdict": verdict,
        "criteria": {"C1": c1 & in_scope, "C2": c2 & in_scope, "C3": c3 & in_scope, "C4": c4 & in_scope},
        "deadline": deadline,
        "hazard": hazard,
        "sector_key": sector_key,
        "locations": locations,
    }


# ---------------------------------------------------------------------------------------------
# Candidates.


def destination_parks(scenario: dict, layers: dict) -> np.ndarray:
    parks = layers["parks"]
    wanted = {fold(d) for d in scenario.get("area", {}).get("destination", []) or []}
    available = parks["available_ha"].to_numpy(dtype=float)
    keep = available > 0
    if not wanted:
        return np.flatnonzero(keep)
    field = [text_or_none(v) for v in parks["district"]] if "district" in parks else [None] * len(parks)
    districts = layers.get("districts")
    inside = shapely.point_on_surface(parks.geometry.values)
    out = []
    for i in np.flatnonzero(keep):
        name = field[i]
        if name is None and districts is not None:
            hit = np.flatnonzero(shapely.intersects(districts.geometry.values, inside[i]))
            name = str(districts["name"].iloc[hit[0]]) if len(hit) else None
        if name is not None and fold(name) in wanted:
            out.append(i)
    return np.array(out, dtype=np.int64)


def candidates(scenario: dict, layers: dict, a: dict) -> dict:
    """The k nearest eligible parks within max distance, found with STRtree `dwithin` queries whose
    radius doubles for the factories that have fewer than k eligible parks inside it."""
    alloc = scenario.get("allocation", {})
    scoring = scenario.get("scoring", {})
    phasing = scenario.get("phasing", {})
    max_m = float(alloc.get("max_distance_km", 80)) * 1000.0
    k = max(int(alloc.get("candidates_per_factory", 10)), 1)
    start_year = int(phasing.get("start_year", 2025))

    fac = layers["factories"]
    parks = layers["parks"]
    dest = destination_parks(scenario, layers)
    relocating = np.flatnonzero(np.isin(a["verdict"], ["must_relocate", "encouraged"]))

    # Per destination park: what it accepts.
    sector_keys = sorted(set(a["sector_key"][relocating]))
    sector_code = {s: i for i, s in enumerate(sector_keys)}
    pk = len(dest)
    accepts_sector = np.zeros((len(sector_keys), pk), dtype=bool)
    lists_sector = np.zeros((len(sector_keys), pk), dtype=bool)
    accepts_class = np.ones((6, pk), dtype=bool)  # row 5: no hazard class, accepted everywhere
    eco = np.zeros(pk, dtype=bool)
    ready = np.full(pk, start_year, dtype=np.int64)
    waiting = np.zeros(pk, dtype=float)
    for j, p in enumerate(dest):
        row = parks.iloc[p]
        listed = {fold(s) for s in name_list(row.get("sectors"))}
        excluded = {fold(s) for s in name_list(row.get("excluded_sectors"))}
        for s, i in sector_code.items():
            accepts_sector[i, j] = s not in excluded and (not listed or s in listed)
            lists_sector[i, j] = s in listed
        mx = text_or_none(row.get("max_hazard_class"))
        if mx is not None:
            m = HAZARD[mx.upper()]
            accepts_class[:5, j] = np.arange(5) >= m
        eco[j] = vocab(row.get("class")) in ("eco", "high_tech")
        ry = row.get("ready_year")
        if ry is not None and not (isinstance(ry, float) and math.isnan(ry)):
            ready[j] = max(int(ry), start_year)
            waiting[j] = max(int(ry) - start_year, 0)
    available = parks["available_ha"].to_numpy(dtype=float)[dest]
    park_ids = parks["id"].astype(str).to_numpy(dtype=object)[dest]
    park_rank = np.argsort(np.argsort(park_ids, kind="stable"), kind="stable")
    geoms = parks.geometry.values[dest]
    tree = shapely.STRtree(geoms)

    land = fac["land_ha"].to_numpy(dtype=float)[relocating]
    emp = fac["employees"].fillna(0).to_numpy(dtype=float)[relocating] if "employees" in fac else np.zeros(len(relocating))
    scode = np.array([sector_code[s] for s in a["sector_key"][relocating]], dtype=np.int64)
    hz = a["hazard"][relocating]
    hrow = np.where(hz >= 0, hz, 5)
    dl = a["deadline"][relocating]
    loc = a["locations"][relocating]

    parts = []
    todo = np.arange(len(relocating))
    radius = min(5000.0, max_m)
    while len(todo):
        f, j = tree.query(loc[todo], predicate="dwithin", distance=radius)
        f = todo[f]
        ok = (available[j] >= land[f]) & accepts_sector[scode[f], j] & accepts_class[hrow[f], j] & (ready[j] <= dl[f])
        f, j = f[ok], j[ok]
        d = shapely.distance(loc[f], geoms[j])
        keep = d <= max_m
        f, j, d = f[keep], j[keep], d[keep]
        counts = np.bincount(f, minlength=len(relocating))
        # Complete: k eligible parks within the radius (none beyond it can be nearer), or the
        # radius already covers the maximum distance.
        done = (counts[todo] >= k) | (radius >= max_m)
        finished = np.zeros(len(relocating), dtype=bool)
        finished[todo[done]] = True
        sel = finished[f]
        parts.append((f[sel], j[sel], d[sel]))
        todo = todo[~done]
        radius = min(radius * 2.0, max_m)
    f = np.concatenate([p[0] for p in parts]) if parts else np.empty(0, dtype=np.int64)
    j = np.concatenate([p[1] for p in parts]) if parts else np.empty(0, dtype=np.int64)
    d = np.concatenate([p[2] for p in parts]) if parts else np.empty(0)
    order = np.lexsort((park_rank[j], d, f))
    f, j, d = f[order], j[order], d[order]
    first = np.r_[0, np.flatnonzero(np.diff(f)) + 1] if len(f) else np.empty(0, dtype=np.int64)
    rank_in = np.arange(len(f)) - np.repeat(first, np.diff(np.r_[first, len(f)]))
    keep = rank_in < k
    f, j, d = f[keep], j[keep], d[keep]

    km = d / 1000.0
    w = lambda name, default: float(scoring.get(name, default))  # noqa: E731
    cost = (
        w("distance_per_km", 1.0) * km
        + w("workforce_per_1000_employee_km", 0.0) * (emp[f] / 1000.0 * km)
        + w("cluster_mismatch", 0.0) * (~lists_sector[scode[f], j]).astype(float)
        + w("class_mismatch", 0.0) * ((hz[f] >= 0) & (hz[f] <= 1) & eco[j]).astype(float)
        + w("waiting_per_year", 0.0) * waiting[j]
    )
    return {
        "factory": relocating[f],
        "park": dest[j],
        "park_col": j,
        "distance_km": km,
        "cost": cost,
        "capacity": available,
        "dest": dest,
        "pairs": len(f),
    }


# ---------------------------------------------------------------------------------------------
# Allocate: the MIP.


def allocate(layers: dict, a: dict, c: dict, time_limit_s: float, threads: int | None) -> dict:
    """One MIP: binary x[f,p] over the candidate pairs, each factory at most once, land per park
    within capacity. The priority is put in the objective as weights, the usual way: minimise
    sum (cost - bonus) x with bonus_enc above any single cost and bonus_must above all encouraged
    bonuses together, so one more must_relocate factory outweighs every encouraged one, and one more
    encouraged factory outweighs its own cost. (A strictly lexicographic weighting would need
    bonuses of the order of the total cost range, beyond what double precision resolves at 10^5
    factories; three sequential solves were tried and HiGHS overran its time limits on them.)"""
    fac = layers["factories"]
    land_all = fac["land_ha"].to_numpy(dtype=float)
    items, item_of = np.unique(c["factory"], return_inverse=True)
    n_items, n_cols, n_parks = len(items), len(c["factory"]), len(c["dest"])
    must_item = a["verdict"][items] == "must_relocate"
    col_must = must_item[item_of]
    n_enc = int((~must_item).sum())
    bonus_enc = float(math.ceil(c["cost"].max(initial=0.0)) + 1.0)
    bonus_must = bonus_enc * (n_enc + 1)
    weighted = c["cost"] - np.where(col_must, bonus_must, bonus_enc)
    # Rows: one "at most one park" per factory, then one capacity per park.
    n_rows = n_items + n_parks
    index = np.empty(2 * n_cols, dtype=np.int32)
    index[0::2] = item_of
    index[1::2] = n_items + c["park_col"]
    value = np.empty(2 * n_cols, dtype=float)
    value[0::2] = 1.0
    value[1::2] = land_all[c["factory"]]

    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = n_cols
    lp.num_row_ = n_rows
    lp.col_cost_ = weighted
    lp.col_lower_ = np.zeros(n_cols)
    lp.col_upper_ = np.ones(n_cols)
    lp.row_lower_ = np.full(n_rows, -inf)
    lp.row_upper_ = np.concatenate([np.ones(n_items), np.maximum(c["capacity"], 0.0)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, 2 * n_cols + 1, 2, dtype=np.int32)
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = value
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n_cols

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit_s))
    # Costs are compared to 0.001 in the reports: ask for an absolute gap below that.
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-4)
    if threads:
        h.setOptionValue("threads", int(threads))
    h.passModel(lp)
    t0 = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t0
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2
    x = np.asarray(h.getSolution().col_value) if has_solution else np.zeros(n_cols)
    chosen = np.flatnonzero(x > 0.5)
    must_placed = int(col_must[chosen].sum())
    enc_placed = int((~col_must[chosen]).sum())
    objective = float(c["cost"][chosen].sum())
    # The dual bound D of the weighted objective bounds the cost of any plan placing at least as
    # many factories of each tier: cost >= D + bonus_must*m + bonus_enc*e (the same meaning as
    # relocate's lower_bound).
    dual = info.mip_dual_bound
    lower = dual + bonus_must * must_placed + bonus_enc * enc_placed if math.isfinite(dual) else None
    gap = (objective - lower) / objective if lower is not None and objective > 0 else None
    # Capacity check on the chosen plan, independent of the solver's tolerances.
    used = np.bincount(c["park_col"][chosen], weights=land_all[c["factory"][chosen]], minlength=n_parks)
    over = used - np.maximum(c["capacity"], 0.0)
    return {
        "chosen": chosen,
        "must_placed": must_placed,
        "encouraged_placed": enc_placed,
        "must_placeable": int(must_item.sum()),
        "encouraged_placeable": n_enc,
        "objective": objective,
        "lower_bound": lower,
        "gap": gap,
        "mip": {
            "status": status,
            "optimal": status == "Optimal",
            "has_solution": bool(has_solution),
            "seconds": seconds,
            "time_limit_s": float(time_limit_s),
            "weighted_objective": info.objective_function_value if has_solution else None,
            "weighted_dual_bound": dual if math.isfinite(dual) else None,
            "mip_gap": info.mip_gap if math.isfinite(info.mip_gap) else None,
            "nodes": int(info.mip_node_count),
            "bonus_must": bonus_must,
            "bonus_encouraged": bonus_enc,
            "columns": int(n_cols),
            "rows": int(n_rows),
        },
        "max_capacity_excess_ha": float(max(over.max(initial=0.0), 0.0)),
    }


# ---------------------------------------------------------------------------------------------
# Write.


def write(out: Path, layers: dict, a: dict, c: dict, r: dict) -> None:
    """A plan a GIS analyst would hand over: factories with verdict and destination, as GeoPackage
    and CSV (the Rust tool writes much more: maps, PDF, HTML, QGIS project)."""
    out.mkdir(parents=True, exist_ok=True)
    fac = layers["factories"]
    n = len(fac)
    park_ids = layers["parks"]["id"].astype(str).to_numpy(dtype=object)
    park_of = np.full(n, None, dtype=object)
    dist = np.full(n, np.nan)
    cost = np.full(n, np.nan)
    ch = r["chosen"]
    park_of[c["factory"][ch]] = park_ids[c["park"][ch]]
    dist[c["factory"][ch]] = c["distance_km"][ch]
    cost[c["factory"][ch]] = c["cost"][ch]
    codes = np.full(n, "", dtype=object)
    for name, mask in a["criteria"].items():
        codes[mask] = np.where(codes[mask] == "", name, codes[mask] + "," + name)
    plan = gpd.GeoDataFrame(
        {
            "id": fac["id"].astype(str).to_numpy(),
            "verdict": a["verdict"],
            "criteria": codes,
            "park_id": park_of,
            "distance_km": np.round(dist, 3),
            "cost": np.round(cost, 3),
        },
        geometry=gpd.GeoSeries(a["locations"], crs=fac.crs).to_crs(4326).values,
        crs=4326,
    )
    plan = plan.sort_values("id", kind="stable")
    plan.to_file(out / "plan.gpkg", layer="factories", driver="GPKG", engine="pyogrio")
    plan.drop(columns="geometry").to_csv(out / "plan.csv", index=False, encoding="utf-8-sig")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--time-limit", type=float, default=600.0, help="HiGHS time limit, seconds")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--dump-candidates", type=Path, default=None, help="CSV of every candidate pair (untimed), to cross-check relocate's choices")
    args = ap.parse_args()

    st = Stages()
    scenario, layers = read_layers(args.scenario)
    st.done("read")
    layers, epsg, problems = validate_and_project(layers)
    st.done("validate")
    a = assess(scenario, layers)
    st.done("assess")
    c = candidates(scenario, layers, a)
    st.done("candidates")
    r = allocate(layers, a, c, args.time_limit, args.threads)
    st.done("allocate")
    write(args.out, layers, a, c, r)
    st.done("write")
    if args.dump_candidates is not None:
        fid = layers["factories"]["id"].astype(str).to_numpy(dtype=object)
        pid = layers["parks"]["id"].astype(str).to_numpy(dtype=object)
        pd.DataFrame(
            {"factory_id": fid[c["factory"]], "park_id": pid[c["park"]], "distance_km": c["distance_km"], "cost": c["cost"]}
        ).to_csv(args.dump_candidates, index=False)

    counts = {v: int((a["verdict"] == v).sum()) for v in VERDICTS}
    report = {
        "tool": "geopandas+highspy",
        "versions": {
            "geopandas": gpd.__version__,
            "shapely": shapely.__version__,
            "highs": f"{highspy.Highs().versionMajor()}.{highspy.Highs().versionMinor()}.{highspy.Highs().versionPatch()}",
            "python": sys.version.split()[0],
        },
        "working_crs_epsg": epsg,
        "problems": problems,
        "stages": st.rows,
        "total_seconds": sum(s["seconds"] for s in st.rows),
        "factories_total": len(layers["factories"]),
        **counts,
        "criteria_met": {k: int(v.sum()) for k, v in a["criteria"].items()},
        "candidate_pairs": c["pairs"],
        "assigned": r["must_placed"] + r["encouraged_placed"],
        "must_placed": r["must_placed"],
        "encouraged_placed": r["encouraged_placed"],
        "must_placeable": r["must_placeable"],
        "encouraged_placeable": r["encouraged_placeable"],
        "objective": round(r["objective"], 3),
        "lower_bound": r["lower_bound"],
        "gap": r["gap"],
        "mip": r["mip"],
        "max_capacity_excess_ha": r["max_capacity_excess_ha"],
        "threads": args.threads or os.cpu_count(),
    }
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
