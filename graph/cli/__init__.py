"""The `cmkg` command line: a thin layer of click commands over the library.

Every `graph/cli/*_cmd.py` module exposes `COMMANDS`; they are discovered here so that each
command group lives in its own module. Errors a user can act on print as one line and exit
non-zero; `--debug` shows the traceback instead.
"""

import importlib
import logging
import pkgutil
import sys
import warnings
from pathlib import Path

import click

from graph import __version__
from graph.cli.common import CliContext
from graph.errors import CmkgError, one_line


class OneLineUsageError(click.UsageError):
    """A usage error shown as one line (`Error: ... (see 'cmkg CMD --help')`), not click's usage block."""

    def show(self, file=None) -> None:
        hint = f" (see '{self.ctx.command_path} --help')" if self.ctx is not None else ""
        click.echo(f"Error: {self.format_message()}{hint}", err=True)


def _one_line_usage(err: click.UsageError) -> click.UsageError:
    if isinstance(err, OneLineUsageError):
        return err
    return OneLineUsageError(err.format_message(), ctx=err.ctx)


class CmkgGroup(click.Group):
    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as err:
            if "--debug" in args:
                raise
            raise _one_line_usage(err) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            if _debug(ctx):
                raise
            raise _one_line_usage(err) from None
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except CmkgError as err:
            if _debug(ctx):
                raise
            click.echo(f"Error: {one_line(err, None)}", err=True)
            ctx.exit(err.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            raise  # `cmkg ... | head`: click's main() exits quietly
        except Exception as err:  # noqa: BLE001 - the last line of defence against tracebacks
            if _debug(ctx):
                raise
            click.echo(f"Error: unexpected failure ({type(err).__name__}: {one_line(err, 300)}); "
                       "rerun with --debug for details", err=True)
            ctx.exit(2)


def _debug(ctx) -> bool:
    obj = ctx.find_object(CliContext)
    return bool(obj and obj.debug)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    click.echo(f"Warning: {message}", err=True)


@click.group(cls=CmkgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_path", type=click.Path(path_type=Path), envvar="CMKG_STORE",
              help="Store folder (default: $CMKG_STORE or ./.cmkg/store).")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(__version__, prog_name="cmkg")
@click.pass_context
def cli(ctx, store_path, debug):
    """cmkg: who depends on which critical mineral, through which chain, and which policy cut it."""
    ctx.obj = CliContext(store_path=store_path, debug=debug)
    if not debug:
        warnings.showwarning = _show_warning
        # rdflib logs "<x> does not look like a valid URI" when a term is made from text a user typed;
        # the one-line error that follows says what is wrong, so the log line would only be noise.
        logging.getLogger("rdflib.term").setLevel(logging.ERROR)


def _register() -> None:
    package = Path(__file__).parent
    for info in sorted(pkgutil.iter_modules([str(package)]), key=lambda m: m.name):
        if info.name.endswith("_cmd"):
            module = importlib.import_module(f"graph.cli.{info.name}")
            for command in getattr(module, "COMMANDS", []):
                cli.add_command(command)


_register()


def main(argv=None):
    return cli.main(args=argv, prog_name="cmkg")


if __name__ == "__main__":
    sys.exit(main())
