"""The `relocate` Processing provider: its algorithms and its one setting, the binary's path."""

from qgis.core import QgsProcessingProvider

from . import algorithms, runner


class RelocateProvider(QgsProcessingProvider):
    """Algorithms `relocate:plan`, `relocate:assess`, `relocate:validate`, `relocate:compare`
    and `relocate:sensitivity`, each running the relocate binary once.

    The setting "relocate binary" (Settings > Options > Processing > Providers > relocate) names
    the executable; left empty, `relocate` is looked up on PATH.
    """

    def load(self):
        # ProcessingConfig belongs to the Processing plugin, which both the desktop application
        # and qgis_process load before any provider plugin.
        from processing.core.ProcessingConfig import ProcessingConfig, Setting

        ProcessingConfig.settingIcons[self.name()] = self.icon()
        ProcessingConfig.addSetting(
            Setting(
                self.name(),
                runner.BINARY_SETTING,
                self.tr("relocate binary (empty: find relocate on PATH)"),
                "",
                valuetype=Setting.FILE,
            )
        )
        ProcessingConfig.readSettings()
        self.refreshAlgorithms()
        return True

    def unload(self):
        from processing.core.ProcessingConfig import ProcessingConfig

        ProcessingConfig.removeSetting(runner.BINARY_SETTING)

    def loadAlgorithms(self):  # noqa: N802 (QGIS's name)
        for algorithm in algorithms.ALL:
            self.addAlgorithm(algorithm())

    def id(self):
        return "relocate"

    def name(self):
        return "relocate"

    def longName(self):  # noqa: N802 (QGIS's name)
        return self.tr("relocate: factory relocation into industrial parks")
