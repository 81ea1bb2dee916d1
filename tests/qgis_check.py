"""Opens relocate's plan.qgs and plan.gpkg in headless QGIS and checks what a GIS analyst sees.

Usage: python3 qgis_check.py OUT_DIR PNG_PATH EXPECTED_COUNTS_JSON

- every project layer is valid, has the expected feature count and a categorized or graduated
  renderer (not QGIS's default single symbol);
- every GeoPackage layer opened on its own picks up its default style from `layer_styles`;
- labels are on for parks, districts and flows; each layer's visibility in the layer tree is
  reported (flows on and single moves off by default);
- the print layout "Map" exists and exports to PNG.

Prints one JSON object with what it found; exits 1 with the list of failures.
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsLayoutExporter,
    QgsProject,
    QgsVectorLayer,
)


def main():
    out_dir, png_path, expected_json = sys.argv[1], sys.argv[2], sys.argv[3]
    expected = json.loads(expected_json)
    app = QgsApplication([], False)
    app.initQgis()
    failures = []
    found = {"project_layers": {}, "gpkg_layers": {}}

    project = QgsProject.instance()
    if not project.read(os.path.join(out_dir, "plan.qgs")):
        failures.append("plan.qgs: QGIS could not read the project")
    found["crs"] = project.crs().authid()

    for layer in project.mapLayers().values():
        source = layer.source()
        name = source.split("layername=")[-1]
        info = {
            "title": layer.name(),
            "valid": layer.isValid(),
            "relative_source": source.endswith("plan.gpkg|layername=" + name),
        }
        if layer.isValid():
            info["features"] = layer.featureCount()
            info["renderer"] = layer.renderer().type()
            info["labels"] = layer.labelsEnabled()
        node = project.layerTreeRoot().findLayer(layer.id())
        info["visible"] = bool(node is not None and node.isVisible())
        found["project_layers"][name] = info
        if not layer.isValid():
            failures.append(f"project layer {name}: not valid ({source})")
            continue
        if info["features"] != expected.get(name):
            failures.append(f"project layer {name}: {info['features']} features, expected {expected.get(name)}")
        if info["renderer"] not in ("categorizedSymbol", "graduatedSymbol"):
            failures.append(f"project layer {name}: renderer {info['renderer']}")
        if name in ("parks", "districts", "flows") and not info["labels"]:
            failures.append(f"project layer {name}: labels are off")
    missing = set(expected) - set(found["project_layers"])
    if missing:
        failures.append(f"project lacks layers {sorted(missing)}")

    gpkg = os.path.join(out_dir, "plan.gpkg")
    for name, count in expected.items():
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        info = {"valid": layer.isValid()}
        if layer.isValid():
            info["features"] = layer.featureCount()
            info["renderer"] = layer.renderer().type()
        found["gpkg_layers"][name] = info
        if not layer.isValid():
            failures.append(f"plan.gpkg layer {name}: not valid")
        elif info["renderer"] not in ("categorizedSymbol", "graduatedSymbol"):
            failures.append(f"plan.gpkg layer {name}: default style not applied ({info['renderer']})")
        elif info["features"] != count:
            failures.append(f"plan.gpkg layer {name}: {info['features']} features, expected {count}")

    layout = project.layoutManager().layoutByName("Map")
    if layout is None:
        failures.append("no print layout named Map")
    else:
        found["layout_items"] = sorted(
            item.id() for item in layout.items() if hasattr(item, "id") and item.id()
        )
        page = layout.pageCollection().page(0)
        found["page_mm"] = [round(page.pageSize().width()), round(page.pageSize().height())]
        settings = QgsLayoutExporter.ImageExportSettings()
        settings.dpi = 80
        result = QgsLayoutExporter(layout).exportToImage(png_path, settings)
        found["export"] = int(result)
        if result != QgsLayoutExporter.Success or not os.path.isfile(png_path):
            failures.append(f"layout export failed with code {int(result)}")

    found["failures"] = failures
    print(json.dumps(found, ensure_ascii=False, sort_keys=True), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    # QGIS's teardown can crash after the work is done (a known PyQGIS exit problem); the
    # verdict is already printed, so leave without it.
    os._exit(main())
