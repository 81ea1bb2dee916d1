"""Finds the relocate binary and runs it once for an algorithm.

- The binary: the provider setting "relocate binary" if set, else `relocate` on PATH.
- Progress: the binary is run with `--progress json` and prints one JSON object per line on
  stderr (`{"stage": "allocate", "state": "end", "percent": 70.0, "message": "allocate"}`, the
  schema is in the project README); each sets the progress bar, each stage start its text.
- Cancel: the Processing feedback is polled ten times a second; a cancel kills the process.
  relocate writes into a temporary folder and moves it into place only when complete, so the
  previous outputs stay as they were (its next run removes the half-written folder).
- Errors: any other stderr line is a message of the binary (`file: feature: field: message`
  for an invalid input, exit code 2); on failure every one goes to the log as an error and the
  algorithm fails.
"""

import json
import os
import queue
import shlex
import shutil
import subprocess
import threading

from qgis.core import QgsProcessingException

# The key of the provider setting (Options > Processing > Providers > relocate).
BINARY_SETTING = "RELOCATE_BINARY"

# Exit codes of relocate (see its README): 2 is invalid input or usage, problems listed.
EXIT_INVALID = 2

# How often the feedback is asked whether the user cancelled, seconds.
POLL_S = 0.1


def find_binary():
    """The relocate executable: the provider setting, else `relocate` on PATH."""
    from processing.core.ProcessingConfig import ProcessingConfig

    configured = (ProcessingConfig.getSetting(BINARY_SETTING) or "").strip()
    if configured:
        if os.path.isfile(configured) and os.access(configured, os.X_OK):
            return configured
        raise QgsProcessingException(
            f"the relocate binary set in the provider settings cannot be run: {configured} "
            "(Settings > Options > Processing > Providers > relocate)"
        )
    found = shutil.which("relocate")
    if found:
        return found
    raise QgsProcessingException(
        "relocate binary not found: set its path under Settings > Options > Processing > "
        "Providers > relocate, or put relocate on PATH"
    )


def progress_event(line):
    """The progress object of a `--progress json` line, or None for any other line."""
    if not line.startswith("{"):
        return None
    try:
        event = json.loads(line)
    except ValueError:
        return None
    if isinstance(event, dict) and "stage" in event and "percent" in event:
        return event
    return None


def run(arguments, feedback, renames=None):
    """Runs relocate with `arguments` (the subcommand first) and `--progress json`.

    Returns the lines it printed on stdout. Raises QgsProcessingException when it fails or is
    cancelled. `renames` maps a path (a temporary export) to the name shown instead in messages.
    """
    command = [find_binary(), *arguments, "--progress", "json"]
    feedback.pushCommandInfo(" ".join(shlex.quote(a) for a in command))
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console window on Windows
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            creationflags=flags,
        )
    except OSError as e:
        raise QgsProcessingException(f"cannot run {command[0]}: {e}") from e
    # Leaving the `with` closes the pipes and waits for the process, whatever happened.
    with process:
        stdout, messages = _follow(process, feedback, renames or {})
        code = process.wait()

    if code != 0:
        for message in messages:
            feedback.reportError(message, False)
        if code == EXIT_INVALID:
            hint = ""
            if any("--on-invalid skip" in m for m in messages):
                hint = "; fix them, or set 'Invalid features' to leave those features out"
            raise QgsProcessingException(
                "relocate refused the inputs or settings (exit code 2): every problem is listed "
                "in the log above" + hint
            )
        raise QgsProcessingException(f"relocate failed (exit code {code}); see the log above")
    for message in messages:
        feedback.pushWarning(message)
    for line in stdout:
        feedback.pushConsoleInfo(line)
    return stdout


def _follow(process, feedback, renames):
    """Reads the process's output until it ends: progress lines to the feedback, the others
    kept. Kills the process when the user cancels. Returns (stdout lines, stderr messages)."""
    lines = queue.Queue()
    for name, stream in (("out", process.stdout), ("err", process.stderr)):
        threading.Thread(target=_pump, args=(name, stream, lines), daemon=True).start()
    stdout, messages = [], []
    open_streams = 2
    while open_streams:
        if feedback.isCanceled():
            process.kill()
            process.wait()
            raise QgsProcessingException(
                "cancelled: relocate was stopped before it finished; the output folder holds the "
                "previous outputs, as they were"
            )
        try:
            name, line = lines.get(timeout=POLL_S)
        except queue.Empty:
            continue
        if line is None:
            open_streams -= 1
        elif name == "out":
            stdout.append(line)
        else:
            event = progress_event(line)
            if event is None:
                messages.append(_renamed(line, renames))
            else:
                _show(event, feedback)
    return stdout, messages


def _pump(name, stream, lines):
    """Copies a stream's lines into the queue, then None when it closes."""
    try:
        for line in stream:
            lines.put((name, line.rstrip("\r\n")))
    except (OSError, ValueError):
        pass  # the pipe was closed after a cancel
    lines.put((name, None))


def _show(event, feedback):
    """One progress object on the progress bar; a stage's start also names it."""
    try:
        feedback.setProgress(float(event["percent"]))
    except (TypeError, ValueError):
        pass
    if event.get("state") == "start":
        feedback.setProgressText(str(event.get("message") or event["stage"]))


def _renamed(line, renames):
    """The line with every temporary path replaced by the layer name the user knows."""
    for path, name in renames.items():
        line = line.replace(path, name)
    return line
