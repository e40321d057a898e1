"""One format of a report written by a process of its own, started before the report is read.

A cold ``reportgen build`` of one report spends most of its time loading libraries: pydantic
and Jinja to read the data and fill the layout, ReportLab for the PDF, python-docx for Word.
When the run may use two processes (``-j 2`` or more) and has one report to make, the PDF's
process is forked once the brand is read (it inherits what was loaded so far): it loads
ReportLab and the brand's fonts while this process reads the report's data and makes the
document. It then receives the document, writes the PDF to a checked
temporary file beside its target (as this process would), and says which, or why it could not.
This process writes the Word file meanwhile, and moves both into place, or neither.

Forking is only done from the command line's single-threaded process, never from the
atelier's server (its builds use one process).
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
from pathlib import Path
from typing import Any, Callable

from .errors import Location, OutputError

__all__ = ["WriterProcess"]


class WriterProcess:
    """A forked process that runs ``prepare()`` at once, then ``work(*job)`` for the one job
    it is given (see ``start``), and sends back its result or the exception it raised."""

    def __init__(self, prepare: Callable[[], None], work: Callable[..., Any]):
        sys.stdout.flush()  # what is buffered would otherwise be printed twice
        sys.stderr.flush()
        job_in, self._job_out = os.pipe()
        self._result_in, result_out = os.pipe()
        self._outcome: tuple[bool, Any] | None = None
        self.pid = os.fork()
        if self.pid == 0:
            os.close(self._job_out)
            os.close(self._result_in)
            _serve(prepare, work, job_in, result_out)
        os.close(job_in)
        os.close(result_out)

    def start(self, *job, output: Path) -> Callable[[], Any]:
        """Give the process its job (the arguments of ``work``, about the file ``output``);
        returns the function that waits for its result: the value ``work`` returned, or what
        it raised (as often as it is called)."""
        with os.fdopen(self._job_out, "wb") as stream:
            pickle.dump(job, stream, protocol=pickle.HIGHEST_PROTOCOL)
        self._job_out = -1
        return lambda: self._result(output)

    def _result(self, output: Path) -> Any:
        if self._outcome is None:
            with os.fdopen(self._result_in, "rb") as stream:
                data = stream.read()
            self._result_in = -1
            self._reap()
            self._outcome = pickle.loads(data) if data else (True, None)
        failed, value = self._outcome
        if failed and value is None:
            raise OutputError("le processus qui écrivait ce fichier s’est arrêté brutalement (mémoire épuisée "
                              "ou processus tué)", Location(output), "relancez ; si cela se répète, relancez "
                              "avec -j 1 --debug et signalez-le à l’équipe")
        if failed:
            raise value
        return value

    def close(self) -> None:
        """End the process: one that never got a job is stopped at once (the run failed
        first: no need to wait for it to be ready), and a result never asked for is dropped
        (the caller removes the temporary file it made for it)."""
        if self._job_out >= 0 and self.pid:
            os.kill(self.pid, signal.SIGKILL)
        for end in (self._job_out, self._result_in):
            if end >= 0:
                os.close(end)
        self._job_out = self._result_in = -1
        self._reap()

    def _reap(self) -> None:
        if self.pid:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = 0

    def __enter__(self) -> WriterProcess:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _serve(prepare: Callable[[], None], work: Callable[..., Any], job_in: int, result_out: int) -> None:
    """The forked process's life: never returns, never runs the parent's exit handlers."""
    status = 0
    try:
        try:
            prepare()
        except Exception:
            pass  # the job meets the same trouble, and reports it
        with os.fdopen(job_in, "rb") as stream:
            data = stream.read()
        if data:  # no job: the parent stopped before the document was made
            try:
                outcome = (False, work(*pickle.loads(data)))
            except Exception as error:  # the parent raises it, as if it had run ``work`` itself
                outcome = (True, error if _picklable(error) else RuntimeError(f"{type(error).__name__} : {error}"))
            with os.fdopen(result_out, "wb") as stream:
                pickle.dump(outcome, stream, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # interrupted (Ctrl-C reaches both processes): the parent tells
        status = 1
    finally:
        os._exit(status)


def _picklable(error: Exception) -> bool:
    try:
        pickle.loads(pickle.dumps(error))
        return True
    except Exception:
        return False
