"""The algorithms: each one runs one relocate command.

Inputs are QGIS vector layers (any provider, or only their selected features), written to a
temporary GeoPackage for the binary; the scenario file gives everything the layers do not.
With no scenario and no layer, relocate plans its bundled Binh Duong scenario.
"""

import json
import os
import shutil
import tempfile

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeatureSource,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputFile,
    QgsProcessingOutputHtml,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingUtils,
    QgsVectorFileWriter,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from . import loading, runner

# Input layers: parameter, relocate's layer (its flag and GeoPackage layer name), description,
# accepted geometry types.
LAYERS = [
    ("PARKS", "parks", "Industrial parks (polygons)", [QgsProcessing.TypeVectorPolygon]),
    (
        "FACTORIES",
        "factories",
        "Factories (points or footprints)",
        [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorPolygon],
    ),
    ("ZONING", "zoning", "Planned land-use zoning (C4)", [QgsProcessing.TypeVectorPolygon]),
    (
        "RECEPTORS",
        "receptors",
        "Sensitive receptors: housing, schools, hospitals (C2)",
        [QgsProcessing.TypeVectorAnyGeometry],
    ),
    (
        "CORRIDORS",
        "corridors",
        "Protection corridors: roads, rivers, power lines (C1)",
        [QgsProcessing.TypeVectorLine, QgsProcessing.TypeVectorPolygon],
    ),
    (
        "DISTRICTS",
        "districts",
        "Districts (origin and destination areas)",
        [QgsProcessing.TypeVectorPolygon],
    ),
    (
        "ROADS",
        "roads",
        "Road network (lines), for a scenario with scoring.distance = \"road\"",
        [QgsProcessing.TypeVectorLine],
    ),
    (
        "GATES",
        "gates",
        "Park gates (points with park_id), where parks join the roads",
        [QgsProcessing.TypeVectorPoint],
    ),
]

LANGUAGES = [("en", "English"), ("vi", "Tiếng Việt")]
ON_INVALID = [
    ("abort", "Stop and list every problem"),
    ("skip", "Leave invalid features out and list them"),
]

# The layers of plan.gpkg, top of the layer tree first, when the run wrote no plan.qgs.
PLAN_LAYERS = ["factories", "moves", "parks", "districts", "zoning"]

# Figures of summary.json returned as numeric outputs (usable in models).
FIGURES = [
    ("MUST_RELOCATE", "must_relocate", "Factories that must relocate"),
    ("ENCOURAGED", "encouraged", "Factories encouraged to relocate"),
    ("ASSIGNED", "assigned", "Factories given a park"),
    ("UNASSIGNED", "unassigned", "Relocating factories without a park"),
    ("GAP", "gap", "Proven relative optimality gap"),
]


def tr(text):
    return QCoreApplication.translate("relocate", text)


class RelocateAlgorithm(QgsProcessingAlgorithm):
    """What every relocate algorithm shares: its id is the relocate command it runs."""

    command = ""
    title = ""
    help = ""

    def name(self):
        return self.command

    def displayName(self):  # noqa: N802 (QGIS's name)
        return tr(self.title)

    def shortHelpString(self):  # noqa: N802 (QGIS's name)
        return tr(self.help)

    def createInstance(self):  # noqa: N802 (QGIS's name)
        return type(self)()

    # Parameters shared by the commands that read a scenario's layers.

    def add_inputs(self):
        self.addParameter(
            QgsProcessingParameterFile(
                "SCENARIO",
                tr("Scenario file (TOML; empty with no layers: the bundled Binh Duong scenario)"),
                extension="toml",
                optional=True,
            )
        )
        for key, _, description, types in LAYERS:
            self.addParameter(
                QgsProcessingParameterFeatureSource(
                    key, tr(description + " — replaces the scenario's"), types, optional=True
                )
            )
        self.add_language()
        self.addParameter(
            QgsProcessingParameterEnum(
                "ON_INVALID",
                tr("Invalid features"),
                options=[tr(label) for _, label in ON_INVALID],
                defaultValue=0,
            )
        )

    def add_language(self):
        self.addParameter(
            QgsProcessingParameterEnum(
                "LANGUAGE",
                tr("Language of reports, legends and evidence"),
                options=[label for _, label in LANGUAGES],
                defaultValue=0,
            )
        )

    def add_output_folder(self, summary="summary.json"):
        self.addParameter(
            QgsProcessingParameterFolderDestination(
                "OUTPUT", tr("Output folder (replaced as a whole when the run completes)")
            )
        )
        self.addOutput(QgsProcessingOutputFile("SUMMARY", summary))

    def add_figures(self):
        for key, _, description in FIGURES:
            self.addOutput(QgsProcessingOutputNumber(key, tr(description)))

    def input_arguments(self, parameters, context, feedback, folder):
        """Flags for the scenario, the exported layers, language and invalid-feature choice,
        and the temporary paths to show as layer names in messages."""
        arguments, renames = [], {}
        scenario = self.parameterAsFile(parameters, "SCENARIO", context)
        if scenario:
            arguments += ["--scenario", scenario]
        for key, layer, _, _ in LAYERS:
            if parameters.get(key) in (None, ""):
                continue
            source = self.parameterAsSource(parameters, key, context)
            if source is None:
                continue
            shown = self.layer_name(parameters, key, context)
            path = os.path.join(folder, layer + ".gpkg")
            count = export(source, path, layer, context, feedback, shown)
            feedback.pushInfo(f"{shown}: {count} feature(s) exported for relocate")
            renames[path] = shown
            arguments += ["--" + layer, path]
        arguments += self.language_arguments(parameters, context)
        on_invalid = ON_INVALID[self.parameterAsEnum(parameters, "ON_INVALID", context)][0]
        arguments += ["--on-invalid", on_invalid]
        return arguments, renames

    def language_arguments(self, parameters, context):
        return ["--lang", LANGUAGES[self.parameterAsEnum(parameters, "LANGUAGE", context)][0]]

    def layer_name(self, parameters, key, context):
        """The name the user knows the input by: the layer's, marked when only its selection."""
        value = parameters.get(key)
        selection = isinstance(value, QgsProcessingFeatureSourceDefinition)
        reference = value.source.staticValue() if selection else value
        layer = QgsProcessingUtils.mapLayerFromString(str(reference), context)
        name = layer.name() if layer is not None else str(reference)
        if selection and value.selectedFeaturesOnly:
            name += " (selected features)"
        return name

    def run_relocate(self, arguments, feedback, renames=None):
        return runner.run([self.command, *arguments], feedback, renames)

    def with_exports(self, parameters, context, feedback, run):
        """Exports the input layers into a temporary folder, calls `run(arguments, renames)`,
        then removes the folder."""
        folder = tempfile.mkdtemp(prefix="relocate-", dir=QgsProcessingUtils.tempFolder())
        try:
            arguments, renames = self.input_arguments(parameters, context, feedback, folder)
            return run(arguments, renames)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def export(source, path, layer, context, feedback, shown):
    """Writes every feature of `source` (a selection gives only its features) into a new
    GeoPackage layer named `layer`, in the source's CRS; returns the count written."""
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = layer
    options.fileEncoding = "UTF-8"
    writer = QgsVectorFileWriter.create(
        path,
        source.fields(),
        source.wkbType(),
        source.sourceCrs(),
        context.transformContext(),
        options,
    )
    if writer.hasError() != QgsVectorFileWriter.NoError:
        raise QgsProcessingException(
            f"{shown}: cannot be exported for relocate: {writer.errorMessage()}"
        )
    count = 0
    # relocate checks every geometry itself and names the feature at fault: no filtering here.
    features = source.getFeatures(
        QgsFeatureRequest(), QgsProcessingFeatureSource.FlagSkipGeometryValidityChecks
    )
    for feature in features:
        if feedback.isCanceled():
            raise QgsProcessingException("cancelled while exporting " + shown)
        if not writer.addFeature(feature):
            raise QgsProcessingException(
                f"{shown}: feature {feature.id()}: {writer.errorMessage()}"
            )
        count += 1
    writer = None  # closes the file before relocate reads it
    return count


def read_summary(out):
    """The run's summary.json, or an empty dict."""
    try:
        with open(os.path.join(out, "summary.json"), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def figures(summary):
    return {key: summary.get(field) for key, field, _ in FIGURES if field in summary}


def group_name(command, out, summary):
    scenario = summary.get("scenario")
    name = scenario.get("name") if isinstance(scenario, dict) else None
    folder = os.path.basename(os.path.normpath(out))
    return f"relocate {command}: {name} ({folder})" if name else f"relocate {command}: {folder}"


class Plan(RelocateAlgorithm):
    command = "plan"
    title = "Plan relocation"
    help = (
        "Assesses every factory against the four relocation criteria, allocates the relocating "
        "ones to industrial parks under land capacity (proven optimality gap) and writes the "
        "GeoPackage, QGIS project, map, report and tables into the output folder. The factories, "
        "moves, parks, districts and zoning layers load styled, in one group per run. Layers "
        "given here replace the scenario's; a selection sends only the selected features."
    )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        self.add_inputs()
        self.add_output_folder()
        for key, description in [
            ("FACTORIES", "Factories"),
            ("MOVES", "Moves"),
            ("PARKS", "Parks"),
        ]:
            self.addOutput(QgsProcessingOutputVectorLayer(key + "_LAYER", tr(description)))
        self.addOutput(QgsProcessingOutputHtml("REPORT", tr("Report")))
        self.add_figures()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        self.with_exports(
            parameters,
            context,
            feedback,
            lambda arguments, renames: self.run_relocate(
                arguments + ["--out", out], feedback, renames
            ),
        )
        gpkg = os.path.join(out, "plan.gpkg")
        titles = loading.project_titles(os.path.join(out, "plan.qgs"))
        order = list(titles) + [n for n in PLAN_LAYERS if n not in titles]
        layers = loading.gpkg_layers(gpkg, order)
        summary = read_summary(out)
        loading.load_on_completion(
            context,
            [(uri, titles.get(n, n)) for uri, n in layers],
            group_name("plan", out, summary),
            "OUTPUT",
        )
        results = {"OUTPUT": out, "SUMMARY": os.path.join(out, "summary.json")}
        results.update(
            {n.upper() + "_LAYER": uri for uri, n in layers if n in ("factories", "moves", "parks")}
        )
        results["REPORT"] = os.path.join(out, "report.html")
        results.update(figures(summary))
        return results


class Assess(RelocateAlgorithm):
    command = "assess"
    title = "Assess factories (four criteria)"
    help = (
        "Judges every factory against the four relocation criteria (construction, environment, "
        "fire safety, land-use plan) with its evidence and basis, without allocating parks. "
        "Writes factories.geojson, factories.csv and summary.json; the factories layer loads "
        "into the project."
    )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        self.add_inputs()
        self.add_output_folder()
        self.addOutput(QgsProcessingOutputVectorLayer("FACTORIES_LAYER", tr("Factories")))
        self.add_figures()

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        self.with_exports(
            parameters,
            context,
            feedback,
            lambda arguments, renames: self.run_relocate(
                arguments + ["--out", out], feedback, renames
            ),
        )
        factories = os.path.join(out, "factories.geojson")
        summary = read_summary(out)
        loading.load_on_completion(
            context, [(factories, tr("Factories"))], group_name("assess", out, summary), "OUTPUT"
        )
        results = {
            "OUTPUT": out,
            "SUMMARY": os.path.join(out, "summary.json"),
            "FACTORIES_LAYER": factories,
        }
        results.update(figures(summary))
        return results


class Validate(RelocateAlgorithm):
    command = "validate"
    title = "Validate inputs"
    help = (
        "Lists every problem in the inputs, each as 'layer: feature: field: what is wrong', and "
        "fails when there is any. Without problems it logs what was read."
    )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        self.add_inputs()
        self.addOutput(QgsProcessingOutputString("INVENTORY", tr("What was read")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        lines = self.with_exports(
            parameters,
            context,
            feedback,
            lambda arguments, renames: self.run_relocate(arguments, feedback, renames),
        )
        return {"INVENTORY": "\n".join(lines)}


class Sensitivity(RelocateAlgorithm):
    command = "sensitivity"
    title = "Sensitivity of the plan to the cost weights"
    help = (
        "Plans once, then solves the allocation again with every cost weight moved within "
        "±spread, one at a time and in random samples: how often each relocating factory keeps "
        "its park. Writes stability.csv, the stability layer (loaded, styled by class), the "
        "tornado chart and sensitivity.html."
    )

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        self.add_inputs()
        self.addParameter(
            QgsProcessingParameterNumber(
                "SAMPLES", tr("Random weight vectors"), defaultValue=50, minValue=1
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                "SPREAD",
                tr("Largest relative change of a weight (0.2: ±20 %)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=0.2,
                minValue=0.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterNumber("SEED", tr("Random seed"), defaultValue=1, minValue=0)
        )
        self.add_output_folder()
        self.addOutput(QgsProcessingOutputVectorLayer("STABILITY_LAYER", tr("Stability")))
        self.addOutput(QgsProcessingOutputHtml("REPORT", tr("Sensitivity report")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        options = [
            "--samples",
            str(self.parameterAsInt(parameters, "SAMPLES", context)),
            "--spread",
            repr(self.parameterAsDouble(parameters, "SPREAD", context)),
            "--seed",
            str(self.parameterAsInt(parameters, "SEED", context)),
            "--out",
            out,
        ]
        self.with_exports(
            parameters,
            context,
            feedback,
            lambda arguments, renames: self.run_relocate(arguments + options, feedback, renames),
        )
        layers = loading.gpkg_layers(os.path.join(out, "plan.gpkg"), ["stability"])
        summary = read_summary(out)
        loading.load_on_completion(
            context,
            [(uri, tr("Stability")) for uri, _ in layers],
            group_name("sensitivity", out, summary),
            "OUTPUT",
        )
        results = {"OUTPUT": out, "SUMMARY": os.path.join(out, "summary.json")}
        results.update({"STABILITY_LAYER": uri for uri, _ in layers})
        results["REPORT"] = os.path.join(out, "sensitivity.html")
        return results


class Compare(RelocateAlgorithm):
    command = "compare"
    title = "Compare plans"
    help = (
        "Reads finished plan folders (written by Plan relocation) and writes the indicators side "
        "by side (comparison.csv), every factory that changed and why (changed.csv), a layer of "
        "the changed moves (loaded into the project) and compare.html. The first run is the base."
    )

    RUNS = ["RUN_A", "RUN_B", "RUN_C", "RUN_D"]

    def initAlgorithm(self, config=None):  # noqa: N802 (QGIS's name)
        for i, key in enumerate(self.RUNS):
            self.addParameter(
                QgsProcessingParameterFile(
                    key,
                    tr("Base plan folder") if i == 0 else tr("Plan folder {}").format(i + 1),
                    behavior=QgsProcessingParameterFile.Folder,
                    optional=i >= 2,
                )
            )
        self.add_language()
        self.add_output_folder(summary="comparison.csv")
        self.addOutput(QgsProcessingOutputVectorLayer("CHANGES_LAYER", tr("Changed moves")))
        self.addOutput(QgsProcessingOutputHtml("REPORT", tr("Comparison report")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS's name)
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        runs = [self.parameterAsFile(parameters, key, context) for key in self.RUNS]
        arguments = (
            [r for r in runs if r] + ["--out", out] + self.language_arguments(parameters, context)
        )
        self.run_relocate(arguments, feedback)
        changes = os.path.join(out, "changes.geojson")
        if QgsVectorLayer(changes, "changes", "ogr").featureCount() > 0:
            loading.load_on_completion(
                context, [(changes, tr("Changed moves"))], group_name("compare", out, {}), "OUTPUT"
            )
        else:
            feedback.pushInfo(tr("No factory changed between the plans: no layer to load"))
        return {
            "OUTPUT": out,
            "SUMMARY": os.path.join(out, "comparison.csv"),
            "CHANGES_LAYER": changes,
            "REPORT": os.path.join(out, "compare.html"),
        }


ALL = [Plan, Assess, Validate, Compare, Sensitivity]
