"""The plugin object: registers the Processing provider and removes it again on unload."""

from qgis.core import QgsApplication

from .provider import RelocateProvider


class RelocatePlugin:
    """Adds the `relocate` provider to the Processing registry.

    `initProcessing` is what `qgis_process` calls headless; the desktop application calls
    `initGui`, which does the same (the plugin adds no menu of its own: its algorithms live in
    the Processing toolbox).
    """

    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    def initProcessing(self):  # noqa: N802 (QGIS's name)
        if self.provider is None:
            self.provider = RelocateProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802 (QGIS's name)
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
