"""Render Markdown pages in a Jinja sandbox.

mkdocs-macros renders every page with a plain Jinja environment, so a page in a pull
request could walk ``''.__class__.__mro__`` to arbitrary Python. We swap in an
immutable sandbox that also refuses attribute access on anything but plain data, so
objects such as the mkdocs config or the plugin itself cannot be reached either.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup
from mkdocs.structure.pages import Page
from mkdocs_macros.errors import format_error

from macros.content.front_matter import front_matter_length
from macros.errors import SiteError, source_name

#: Types whose public attributes a page may read, e.g. ``{{ "x".upper() }}``.
PLAIN_DATA: tuple[type, ...] = (str, int, float, bool, type(None), list, tuple, dict, Markup)
PLAIN_DATA += (datetime.date, datetime.datetime)
#: mkdocs-macros' own diagnostics print the build's whole configuration and environment.
DIAGNOSTIC_MACROS = frozenset({"context", "macros_info"})


class PageSandbox(ImmutableSandboxedEnvironment):
    """A sandbox where templates may call registered macros and read plain data only."""

    #: mkdocs-macros, which knows the page being rendered (for error messages).
    macros_plugin: Any = None

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return type(obj) in PLAIN_DATA and super().is_safe_attribute(obj, attr, value)


class PageTemplateError(SiteError):
    """A page's macros failed to render: unsafe code, a typo, or a macro's own error."""


def install_sandbox(macros_plugin: Any) -> None:
    """Replace the mkdocs-macros Jinja environment with a sandbox that has the same macros."""
    plain = macros_plugin.env
    sandbox = PageSandbox(
        loader=plain.loader,
        undefined=StrictUndefined,
        block_start_string=plain.block_start_string,
        block_end_string=plain.block_end_string,
        variable_start_string=plain.variable_start_string,
        variable_end_string=plain.variable_end_string,
        comment_start_string=plain.comment_start_string,
        comment_end_string=plain.comment_end_string,
    )
    sandbox.globals.update(
        {
            name: value
            for name, value in plain.globals.items()
            if name not in sandbox.globals and name not in DIAGNOSTIC_MACROS
        }
    )
    sandbox.filters.update(plain.filters)
    sandbox.macros_plugin = macros_plugin
    sandbox.template_class = ExplainingTemplate
    macros_plugin._env = sandbox


class ExplainingTemplate(Template):
    """A template whose errors name the page and line in plain words."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except SiteError:
            raise
        except (SecurityError, TemplateError) as error:
            page = cast(PageSandbox, self.environment).macros_plugin.page
            raise _explain(error, page) from None


def _explain(error: Exception, page: Page) -> PageTemplateError:
    line = getattr(error, "lineno", None) or _template_line(error)
    if line:
        line += front_matter_length(page.file.content_string)
    if isinstance(error, SecurityError):
        message = f"this page uses template code that is not allowed ({str(error).rstrip('.')})."
        hint = "Pages may only call the site's macros; remove the code."
    elif isinstance(error, TemplateSyntaxError):
        message = f"template syntax error: {error.message}."
        hint = "Check the {{ }} and {% %} markers on that line."
    else:
        message = f"template error: {str(error).rstrip('.')}."
        hint = "Check the macro name and its arguments; see the editors' guide."
    return PageTemplateError(source_name(page), message, line=line, hint=hint)


@format_error.register
def _report_site_error(error: SiteError, markdown: str, page: Page) -> str:
    """mkdocs-macros prints this text and stops the build: a message, not a traceback."""
    return str(error)


def _template_line(error: Exception) -> int | None:
    """Jinja rewrites tracebacks so template frames carry the template's own line numbers."""
    line = None
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line
