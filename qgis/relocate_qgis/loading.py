"""Loads a run's results into the project when the algorithm finishes (desktop application).

Every layer opens with its default style (relocate stores it in the GeoPackage's `layer_styles`)
and lands in one layer-tree group per run, in the order and under the titles of the run's
`plan.qgs` when there is one. Headless runs (`qgis_process`) load nothing; the layers are also
returned as the algorithm's outputs.
"""

import os
import xml.etree.ElementTree as ElementTree

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingUtils,
    QgsProject,
    QgsVectorLayer,
)

# QGIS keeps only a pointer to a post-processor: the objects must outlive the algorithm run.
_KEEP = []


def gpkg_layers(gpkg, names):
    """`(uri, layer name)` of each of `names` that the GeoPackage holds, in that order."""
    found = []
    for name in names:
        uri = f"{gpkg}|layername={name}"
        if os.path.isfile(gpkg) and QgsVectorLayer(uri, name, "ogr").isValid():
            found.append((uri, name))
    return found


def project_titles(qgs):
    """Layer name → title, in the layer-tree order of a relocate project file (empty if none)."""
    titles = {}
    if not os.path.isfile(qgs):
        return titles
    try:
        tree = ElementTree.parse(qgs)
    except ElementTree.ParseError:
        return titles
    for node in tree.iter("layer-tree-layer"):
        source = node.get("source", "")
        if "layername=" in source:
            titles[source.split("layername=")[-1]] = node.get("name") or source
    return titles


def load_on_completion(context, layers, group_name, output_name):
    """Asks Processing to load `layers` (`(uri, title)`, top first) styled, in a new group."""
    project = context.project()
    if project is None:
        return
    group = RunGroup(group_name)
    for rank, (uri, title) in enumerate(layers):
        details = QgsProcessingContext.LayerDetails(
            title, project, output_name, QgsProcessingUtils.LayerHint.Vector
        )
        details.forceName = True
        post = Styled(group, rank, title)
        _KEEP.append(post)
        details.setPostProcessor(post)
        context.addLayerToLoadOnCompletion(uri, details)


class RunGroup:
    """The layer-tree group of one run, made when its first layer arrives."""

    def __init__(self, name):
        self.name = name
        self.group = None
        self.placed = []

    def place(self, layer, project, rank):
        """Moves `layer` from wherever Processing put it into the group, at its rank."""
        root = project.layerTreeRoot()
        if self.group is None:
            self.group = root.insertGroup(0, _unique_group_name(root, self.name))
        node = root.findLayer(layer.id())
        position = sum(1 for r in self.placed if r < rank)
        self.group.insertLayer(position, layer)
        if node is not None and node.parent() is not None:
            parent = node.parent()
            parent.removeChildNode(node)
            # A run into the same folder takes over the layers of the one before (Processing
            # finds them by their source); the group it leaves empty goes too.
            if parent is not root and parent is not self.group and not parent.children():
                if parent.parent() is not None:
                    parent.parent().removeChildNode(parent)
                if self.group.name() != self.name and root.findGroup(self.name) is None:
                    self.group.setName(self.name)
        self.placed.append(rank)


class Styled(QgsProcessingLayerPostProcessorInterface):
    """Applies the layer's default style and its title, then files it into the run's group."""

    def __init__(self, group, rank, title):
        super().__init__()
        self.group = group
        self.rank = rank
        self.title = title

    def postProcessLayer(self, layer, context, feedback):  # noqa: N802 (QGIS's name)
        # The layer may be one a run into the same folder loaded before: read the new file.
        layer.reload()
        # Processing may have applied its own default symbol; the GeoPackage's style wins.
        message, ok = layer.loadDefaultStyle()
        if not ok:
            feedback.pushWarning(f"{self.title}: no default style found ({message})")
        layer.setName(self.title)
        layer.triggerRepaint()
        self.group.place(layer, context.project() or QgsProject.instance(), self.rank)


def _unique_group_name(root, name):
    """`name`, or `name (2)`, `name (3)`… when the project already has a group of that name."""
    candidate, n = name, 1
    while root.findGroup(candidate) is not None:
        n += 1
        candidate = f"{name} ({n})"
    return candidate
