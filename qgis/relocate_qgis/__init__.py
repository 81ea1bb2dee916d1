"""relocate for QGIS: the relocate planner as a Processing provider.

QGIS calls `classFactory` when it loads the plugin, in the desktop application and in
`qgis_process` alike (`hasProcessingProvider=yes` in metadata.txt); the plugin then registers
the provider in `initProcessing`, which needs no GUI.
"""


def classFactory(iface):  # noqa: N802 (the name QGIS looks for)
    """Returns the plugin object QGIS keeps while the plugin is loaded."""
    from .plugin import RelocatePlugin

    return RelocatePlugin(iface)
