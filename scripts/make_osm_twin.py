#!/usr/bin/env python3
"""Writes the same small road network twice, as OpenStreetMap PBF and as GeoJSON, for the test
that both readers give the same plan: fixtures/osm/twin.osm.pbf and fixtures/osm/twin.geojson.

A river world near Bàu Bàng: a southern road, a northern road, one bridge far east, a one-way
street, a footway and a private road (both left out of the network), and a disconnected island.
Needs pyosmium (`pip install osmium`); run from the repository root.
"""
import json
import os

import osmium

# Nodes: id -> (lon, lat)
NODES = {
    1: (106.600, 11.200), 2: (106.620, 11.200), 3: (106.660, 11.200), 4: (106.700, 11.200),
    5: (106.600, 11.220), 6: (106.620, 11.220), 7: (106.700, 11.220),
    8: (106.640, 11.200), 9: (106.640, 11.190),
    10: (106.610, 11.180), 11: (106.615, 11.180),
    12: (106.630, 11.220), 13: (106.630, 11.230),
}
# Ways: id, node refs, tags
WAYS = [
    (101, [1, 2, 8, 3, 4], {"highway": "primary", "name": "Đường Nam"}),
    (102, [5, 6, 12, 7], {"highway": "secondary", "name": "Đường Bắc"}),
    (103, [4, 7], {"highway": "primary", "bridge": "yes", "maxspeed": "60"}),
    (104, [8, 9], {"highway": "residential", "oneway": "yes"}),
    (105, [9, 2], {"highway": "residential"}),
    (106, [2, 6], {"highway": "footway"}),
    (107, [12, 13], {"highway": "service", "access": "private"}),
    (108, [10, 11], {"highway": "residential"}),
]

GEOJSON_KEYS = {"highway": "highway", "oneway": "oneway", "access": "access", "maxspeed": "speed_kmh"}


def main():
    os.makedirs("fixtures/osm", exist_ok=True)
    pbf = "fixtures/osm/twin.osm.pbf"
    if os.path.exists(pbf):
        os.remove(pbf)
    writer = osmium.SimpleWriter(pbf)
    for nid, (lon, lat) in sorted(NODES.items()):
        writer.add_node(osmium.osm.mutable.Node(id=nid, location=(lon, lat), version=1))
    for wid, refs, tags in WAYS:
        writer.add_way(osmium.osm.mutable.Way(id=wid, nodes=refs, tags=tags, version=1))
    writer.close()

    features = []
    for wid, refs, tags in WAYS:
        # The GeoJSON twin holds what a GIS export of the drivable roads would: the footway and
        # the private road are left out, as the PBF reader leaves them out.
        if tags.get("highway") == "footway" or tags.get("access") == "private":
            continue
        props = {"id": wid}
        for k, v in tags.items():
            if k in GEOJSON_KEYS:
                props[GEOJSON_KEYS[k]] = float(v) if k == "maxspeed" else v
        features.append({
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "LineString", "coordinates": [list(NODES[r]) for r in refs]},
        })
    with open("fixtures/osm/twin.geojson", "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
