"""Runs the relocate Processing provider in headless PyQGIS, as the desktop application would.

Usage: python3 qgis_provider_check.py MODE WORK_DIR RELOCATE_BINARY

The plugin is loaded from qgis/ beside this folder, through its classFactory and initProcessing
(what QGIS calls), with the provider setting pointing at RELOCATE_BINARY. Modes:

- selection: relocate:plan on the bundled scenario file with a factories GeoPackage of which only
  the features of one district are selected, run and loaded as the GUI does (runAndLoadResults);
  reports the group, the layers loaded (valid, counts, renderers) and the run's summary; then
  runs again into the same folder with another selection and reports the groups.
- cancel: relocate:plan into WORK_DIR/out, a folder holding a finished plan, cancelled while
  the run is writing its new files; reports what the algorithm said, whether any file of the
  previous plan changed and what the killed run left.
- invalid: relocate:plan and relocate:validate on a memory layer of factories with mistakes;
  reports the error lines of the log; then a binary setting naming a file that is no program.
- others: validate, assess, plan (twice: a scenario and a variant closing its biggest park),
  compare and sensitivity on a small synthetic scenario, then a plan by road whose roads and
  gate come only from project layers; reports each outcome, the groups and the road plan's
  summary.

Prints one JSON object; exits 1 with the list of failures.
"""

import hashlib
import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorFileWriter,
    QgsVectorLayer,
)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
FIXTURES = os.path.join(REPO, "fixtures", "binh-duong")


class Feedback(QgsProcessingFeedback):
    """Keeps what the algorithm told the user; cancels, as the Cancel button does, as soon as
    `cancel_when()` holds when the provider asks."""

    def __init__(self, cancel_when=None):
        super().__init__()
        self.cancel_when = cancel_when
        self.texts, self.errors, self.infos, self.progress_seen = [], [], [], []
        self.progressChanged.connect(self.progress_seen.append)

    def isCanceled(self):  # noqa: N802 (QGIS's name)
        if self.cancel_when is not None and not super().isCanceled() and self.cancel_when():
            self.cancel()
        return super().isCanceled()

    def setProgressText(self, text):  # noqa: N802 (QGIS's name)
        self.texts.append(text)
        super().setProgressText(text)

    def reportError(self, error, fatalError=False):  # noqa: N802 (QGIS's name)
        self.errors.append(error)
        super().reportError(error, fatalError)

    def pushInfo(self, info):  # noqa: N802 (QGIS's name)
        self.infos.append(info)
        super().pushInfo(info)


def start(binary):
    app = QgsApplication([], False)
    app.initQgis()
    sys.path.append(os.path.join(QgsApplication.pkgDataPath(), "python", "plugins"))
    from processing.core.Processing import Processing
    from processing.core.ProcessingConfig import ProcessingConfig

    Processing.initialize()
    sys.path.insert(0, os.path.join(REPO, "qgis"))
    import relocate_qgis
    from relocate_qgis import runner

    plugin = relocate_qgis.classFactory(None)
    plugin.initProcessing()
    ProcessingConfig.setSettingValue(runner.BINARY_SETTING, binary)
    return app, plugin


def factories_gpkg(work):
    """The bundled factories as a GeoPackage layer, as an analyst would keep them."""
    path = os.path.join(work, "my_factories.gpkg")
    source = QgsVectorLayer(os.path.join(FIXTURES, "factories.geojson"), "factories", "ogr")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = "factories"
    error = QgsVectorFileWriter.writeAsVectorFormatV3(
        source, path, QgsProject.instance().transformContext(), options
    )
    if error[0] != QgsVectorFileWriter.NoError:
        raise RuntimeError(f"cannot write {path}: {error}")
    return path


def tree_digest(folder):
    """Every file under `folder` with the SHA-256 of its bytes."""
    digest = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                digest[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return digest


def selection(work, found, failures):
    import processing

    layer = QgsVectorLayer(factories_gpkg(work) + "|layername=factories", "My factories", "ogr")
    QgsProject.instance().addMapLayer(layer)
    layer.selectByExpression("\"district\" = 'Dĩ An'")
    found["selected"] = layer.selectedFeatureCount()
    found["layer_features"] = layer.featureCount()
    out = os.path.join(work, "di-an")
    feedback = Feedback()
    results = processing.runAndLoadResults(
        "relocate:plan",
        {
            "SCENARIO": os.path.join(FIXTURES, "scenario.toml"),
            "FACTORIES": QgsProcessingFeatureSourceDefinition(
                layer.id(), selectedFeaturesOnly=True
            ),
            "OUTPUT": out,
        },
        feedback=feedback,
    )
    found["results"] = {k: v for k, v in results.items() if isinstance(v, (str, int, float))}
    found["progress_max"] = max(feedback.progress_seen, default=None)
    found["progress_texts"] = feedback.texts
    found["exported"] = [i for i in feedback.infos if "exported for relocate" in i]
    with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    found["summary"] = {k: summary.get(k) for k in ("factories_total", "assigned", "must_relocate")}

    root = QgsProject.instance().layerTreeRoot()
    groups = [g for g in root.children() if g.nodeType() == 0]  # group nodes
    found["groups"] = [g.name() for g in groups]
    if len(groups) != 1:
        failures.append(f"expected one group for the run, found {found['groups']}")
        return
    loaded = []
    for node in groups[0].findLayers():
        lyr = node.layer()
        info = {"title": lyr.name(), "valid": lyr.isValid(), "source": lyr.source().split("|")[-1]}
        if lyr.isValid():
            info["features"] = lyr.featureCount()
            info["renderer"] = lyr.renderer().type()
        loaded.append(info)
    found["loaded"] = loaded
    # Nothing of the run is left outside its group.
    found["outside_group"] = [
        n.layer().name() for n in root.findLayers() if n.parent() is not groups[0]
    ]

    # Again into the same folder with another selection: the layers show the new files.
    layer.selectByExpression("\"district\" = 'Thuận An'")
    found["rerun_selected"] = layer.selectedFeatureCount()
    processing.runAndLoadResults(
        "relocate:plan",
        {
            "SCENARIO": os.path.join(FIXTURES, "scenario.toml"),
            "FACTORIES": QgsProcessingFeatureSourceDefinition(
                layer.id(), selectedFeaturesOnly=True
            ),
            "OUTPUT": out,
        },
        feedback=Feedback(),
    )
    groups = [g for g in root.children() if g.nodeType() == 0]
    found["rerun_groups"] = {
        g.name(): [n.layer().featureCount() for n in g.findLayers()] for g in groups
    }


def cancel(work, found, failures):
    import processing

    out = os.path.join(work, "out")
    before = tree_digest(out)
    found["files_before"] = len(before)

    # relocate writes into `.out.writing-<pid>-…` beside `out`: cancel once files are in it.
    def writing():
        return any(
            n.startswith(".out.writing-") and os.listdir(os.path.join(work, n))
            for n in os.listdir(work)
        )

    feedback = Feedback(cancel_when=writing)
    started = time.monotonic()
    try:
        processing.run("relocate:plan", {"OUTPUT": out}, feedback=feedback)
        found["outcome"] = "finished"
    except QgsProcessingException as e:
        found["outcome"] = "failed"
        found["message"] = str(e)
    found["seconds"] = round(time.monotonic() - started, 2)
    found["progress_texts"] = feedback.texts
    found["errors"] = feedback.errors
    # A process left running would still move its folder into place: wait, then compare.
    time.sleep(2)
    after = tree_digest(out)
    found["unchanged"] = before == after
    found["changed_files"] = sorted(
        k for k in set(before) | set(after) if before.get(k) != after.get(k)
    )
    found["leftovers"] = sorted(n for n in os.listdir(work) if n.startswith(".out."))


def invalid(work, found, failures):
    import processing

    layer = QgsVectorLayer(
        "Point?crs=EPSG:4326&field=id:string&field=name:string&field=sector:string&field=land_ha:double",
        "Survey 2025",
        "memory",
    )
    rows = [
        ("F1", "Xưởng gỗ Bình Hòa", "wood_furniture", 1.2, (106.70, 10.90)),
        ("F2", "Xưởng dệt An Phú", "garments", -0.5, (106.72, 10.91)),
        ("F1", "Xưởng gốm Lái Thiêu", "ceramics", 0.8, (106.71, 10.92)),
    ]
    features = []
    for fid, name, sector, land, (x, y) in rows:
        f = QgsFeature(layer.fields())
        f.setAttributes([fid, name, sector, land])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        features.append(f)
    layer.dataProvider().addFeatures(features)
    QgsProject.instance().addMapLayer(layer)
    for algorithm in ("plan", "validate"):
        feedback = Feedback()
        parameters = {"SCENARIO": os.path.join(FIXTURES, "scenario.toml"), "FACTORIES": layer.id()}
        if algorithm == "plan":
            parameters["OUTPUT"] = os.path.join(work, "never")
        try:
            processing.run("relocate:" + algorithm, parameters, feedback=feedback)
            found[algorithm] = {"outcome": "finished"}
        except QgsProcessingException as e:
            found[algorithm] = {"outcome": "failed", "message": str(e)}
        found[algorithm]["errors"] = feedback.errors
    found["never_written"] = not os.path.exists(os.path.join(work, "never"))

    # A binary setting that names a file that is no program is told, not a traceback.
    from processing.core.ProcessingConfig import ProcessingConfig
    from relocate_qgis import runner

    not_a_program = os.path.join(work, "relocate.txt")
    with open(not_a_program, "w", encoding="utf-8") as f:
        f.write("not a program\n")
    ProcessingConfig.setSettingValue(runner.BINARY_SETTING, not_a_program)
    try:
        processing.run("relocate:validate", {}, feedback=Feedback())
        found["bad_binary"] = "finished"
    except QgsProcessingException as e:
        found["bad_binary"] = str(e)


def roads_layer(synth):
    """The synthetic scenario's roads as a project layer, as a user would add them."""
    layer = QgsVectorLayer(os.path.join(synth, "roads.geojson"), "Đường bộ", "ogr")
    QgsProject.instance().addMapLayer(layer)
    return layer.id()


def gate_layer(park):
    """A memory layer with one gate, drawn on the first corner of `park` (a GeoJSON feature)."""
    uri = "Point?crs=EPSG:4326&field=id:string&field=park_id:string"
    layer = QgsVectorLayer(uri, "Cổng", "memory")
    ring = park["geometry"]["coordinates"]
    while isinstance(ring[0][0], list):
        ring = ring[0]
    x, y = ring[0]
    f = QgsFeature(layer.fields())
    f.setAttributes(["G1", park["properties"]["id"]])
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
    layer.dataProvider().addFeatures([f])
    QgsProject.instance().addMapLayer(layer)
    return layer.id()


def others(work, found, failures):
    """assess, validate, sensitivity and compare on a small synthetic scenario and a variant of
    it that closes a park."""
    import subprocess

    import processing

    binary = sys.argv[3]
    synth = os.path.join(work, "synth")
    subprocess.run(
        [binary, "synth", "--factories", "150", "--parks", "6", "--seed", "2", "--out", synth],
        check=True,
    )
    scenario = os.path.join(synth, "scenario.toml")
    with open(os.path.join(synth, "parks.geojson"), encoding="utf-8") as f:
        parks = json.load(f)["features"]
    biggest = max(parks, key=lambda p: p["properties"]["available_ha"])["properties"]["id"]
    variant = os.path.join(synth, "closed.toml")
    with open(variant, "w", encoding="utf-8") as f:
        f.write(
            f'base = "scenario.toml"\nname = "closed"\n\n[parks.override]\n"{biggest}" = {{ available_ha = 0 }}\n'
        )
    # Road distances with no roads in the scenario: the network can only come from the layer.
    by_road = os.path.join(synth, "by-road.toml")
    with open(by_road, "w", encoding="utf-8") as f:
        f.write('base = "scenario.toml"\nname = "by-road"\n\n[scoring]\ndistance = "road"\n')
    runs = [
        ("validate", {"SCENARIO": scenario}),
        ("assess", {"SCENARIO": scenario, "OUTPUT": os.path.join(work, "assess")}),
        ("plan", {"SCENARIO": scenario, "OUTPUT": os.path.join(work, "base")}),
        ("plan", {"SCENARIO": variant, "OUTPUT": os.path.join(work, "closed"), "LANGUAGE": 1}),
        (
            "compare",
            {
                "RUN_A": os.path.join(work, "base"),
                "RUN_B": os.path.join(work, "closed"),
                "OUTPUT": os.path.join(work, "cmp"),
            },
        ),
        ("sensitivity", {"SCENARIO": scenario, "SAMPLES": 3, "OUTPUT": os.path.join(work, "sens")}),
        (
            "plan",
            {
                "SCENARIO": by_road,
                "ROADS": roads_layer(synth),
                "GATES": gate_layer(parks[0]),
                "OUTPUT": os.path.join(work, "road"),
            },
        ),
    ]
    found["runs"] = []
    for algorithm, parameters in runs:
        feedback = Feedback()
        try:
            results = processing.runAndLoadResults(
                "relocate:" + algorithm, parameters, feedback=feedback
            )
            found["runs"].append(
                {"algorithm": algorithm, "outcome": "finished", "keys": sorted(results)}
            )
        except QgsProcessingException as e:
            found["runs"].append(
                {
                    "algorithm": algorithm,
                    "outcome": "failed",
                    "message": str(e),
                    "errors": feedback.errors,
                }
            )
        found["runs"][-1]["progress_max"] = max(feedback.progress_seen, default=None)
    with open(os.path.join(work, "road", "summary.json"), encoding="utf-8") as f:
        summary = json.load(f)
    found["road_plan"] = {
        "distance_basis": summary.get("distance_basis"),
        "roads": summary.get("roads"),
    }
    root = QgsProject.instance().layerTreeRoot()
    found["groups"] = {
        g.name(): [
            {
                "title": n.layer().name(),
                "valid": n.layer().isValid(),
                "features": n.layer().featureCount(),
                "renderer": n.layer().renderer().type() if n.layer().renderer() else None,
            }
            for n in g.findLayers()
        ]
        for g in root.children()
        if g.nodeType() == 0
    }


def main():
    mode, work, binary = sys.argv[1], sys.argv[2], sys.argv[3]
    app, plugin = start(binary)
    found, failures = {"mode": mode}, []
    try:
        {"selection": selection, "cancel": cancel, "invalid": invalid, "others": others}[mode](
            work, found, failures
        )
    except Exception as e:  # noqa: BLE001 (the test reads the failure)
        import traceback

        failures.append(f"{type(e).__name__}: {e}\n{traceback.format_exc()}")
    found["failures"] = failures
    print(json.dumps(found, ensure_ascii=False, sort_keys=True), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    # QGIS's teardown can crash after the work is done (a known PyQGIS exit problem); the
    # verdict is already printed, so leave without it.
    os._exit(main())
