"""Render Markdown pages in a Jinja sandbox with a budget.

mkdocs-macros renders every page with a plain Jinja environment, so a page in a pull
request could walk ``''.__class__.__mro__`` to arbitrary Python, print the build's
configuration and environment, or loop until the build runs out of time or memory. We swap
in an immutable sandbox where a page may:

- call the site's macros, and read plain data (strings, numbers, lists, dicts, dates)
  through an allow-list of attributes and filters;
- see only its own front matter, its title and address, and the site's name, never the
  mkdocs configuration, the plugins, git or the machine (:func:`page_variables`);
- do a bounded amount of work (:class:`Limits`): loop iterations, calls, macro nesting, the
  size of every value it makes and of what it writes. Each cap stops the build with the
  page and line in seconds, long before memory runs short.

mkdocs-macros stops the whole program (``exit()``) when a page's template fails, which
skips mkdocs' own error handling; so a failing page renders as empty text here and the
plugin raises the recorded error once mkdocs-macros is done with the page
(:func:`raise_template_error`).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.filters import FILTERS
from jinja2.lexer import newline_re as NEWLINE
from jinja2.runtime import Context, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import _PassArg, pass_context
from markupsafe import Markup
from mkdocs.structure.pages import Page
from mkdocs_macros.errors import format_error

from macros.content.front_matter import PageMeta, front_matter_length
from macros.errors import SiteError, line_in, source_name

#: Plain data a page may read, and the attributes of each it may use. No method that can
#: make a value much larger than its input (``ljust``, ``center``, ``format``...).
SAFE_ATTRIBUTES: dict[type, frozenset[str]] = {
    str: frozenset(
        {"upper", "lower", "title", "capitalize", "casefold", "strip", "lstrip", "rstrip"}
        | {"split", "rsplit", "splitlines", "startswith", "endswith", "count", "find"}
        | {"removeprefix", "removesuffix", "isdigit", "isalpha", "isspace"}
    ),
    dict: frozenset({"items", "keys", "values", "get"}),
    list: frozenset({"index", "count"}),
    tuple: frozenset({"index", "count"}),
    datetime.date: frozenset({"year", "month", "day", "isoformat"}),
}
SAFE_ATTRIBUTES[Markup] = SAFE_ATTRIBUTES[str]
SAFE_ATTRIBUTES[datetime.datetime] = SAFE_ATTRIBUTES[datetime.date]
#: Jinja filters a page may use: none can make a value much larger than its input.
SAFE_FILTERS = (
    *("abs", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first"),
    *("float", "int", "items", "join", "last", "length", "list", "lower", "max", "min"),
    *("replace", "reverse", "round", "sort", "string", "striptags", "title", "trim"),
    *("truncate", "unique", "upper", "wordcount"),
)
#: Operators checked before they run: each can make a huge value from small ones.
CHECKED_OPERATORS = frozenset({"+", "*", "**", "%"})
#: Largest number, in bits, that ``**`` and ``*`` may make (about 1,200 decimal digits).
MAX_NUMBER_BITS = 4096
#: Front matter fields a page's template may read by name.
FRONT_MATTER_NAMES = frozenset(PageMeta.model_fields)
#: The only parts of the site configuration a page's template may read.
SITE_NAMES = ("site_name", "site_description", "repo_url", "repo_name")


@dataclass(frozen=True)
class Limits:
    """How much work one page's template code may do. Real pages use a few dozen calls."""

    loop_iterations: int = 10_000
    calls: int = 10_000
    range_items: int = 10_000
    macro_depth: int = 20
    #: Characters (or items) in any one value: a string, a list, a page's output.
    value_size: int = 2_000_000
    #: Characters made in total while rendering: values and output.
    characters_made: int = 20_000_000


class OverBudget(TemplateError):
    """A page's template code went over one of its :class:`Limits`."""


class ForbiddenCode(TemplateSyntaxError):
    """Template code that pages may not use at all (includes, recursive loops, ``_names``)."""


@dataclass
class Budget:
    """What one render has used so far of its :class:`Limits`."""

    limits: Limits
    loop_iterations: int = 0
    calls: int = 0
    macro_depth: int = 0
    characters_made: int = 0

    def iterate(self) -> None:
        self.loop_iterations += 1
        if self.loop_iterations > self.limits.loop_iterations:
            raise OverBudget(f"loops ran more than {self.limits.loop_iterations:,} times in all")

    def call(self) -> None:
        self.calls += 1
        if self.calls > self.limits.calls:
            raise OverBudget(f"more than {self.limits.calls:,} calls")

    def make(self, size: int) -> None:
        """Account for a value of ``size`` characters or items, before it is made."""
        self.refuse_oversized(size)
        self.characters_made += size
        if self.characters_made > self.limits.characters_made:
            raise OverBudget(f"more than {self.limits.characters_made:,} characters made in all")

    def refuse_oversized(self, size: int) -> None:
        if size > self.limits.value_size:
            raise OverBudget(f"a value of more than {self.limits.value_size:,} characters or items")


def size_of(value: Any, limit: int) -> int:
    """How many characters or items ``value`` holds, counting no further than ``limit``.

    Nested lists may share their items (``[[1] * 1000] * 1000``), so this walks the
    structure with an early stop instead of measuring ``str(value)``.
    """
    total = 0
    pending = [value]
    while pending and total <= limit:
        item = pending.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, Mapping):
            total += len(item) + 1
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += len(item) + 1
            pending.extend(item)
        else:
            total += 1
    return total


class PageSandbox(ImmutableSandboxedEnvironment):
    """A sandbox where templates may call registered macros and read plain data only."""

    #: mkdocs-macros, which knows the page being rendered (for error messages).
    macros_plugin: Any = None
    intercepted_binops = CHECKED_OPERATORS

    def __init__(self, limits: Limits, **options: Any) -> None:
        super().__init__(**options)
        self.limits = limits
        self.budget = Budget(limits)
        #: The first error of the page being rendered; see :func:`raise_template_error`.
        self.error: SiteError | None = None
        self.code_generator_class = BoundedCodeGenerator
        self.globals = {"range": self._range, "dict": dict}
        self.filters = {name: _bounded_filter(FILTERS[name]) for name in SAFE_FILTERS}
        self.filters[LOOP_FILTER] = _count_iterations
        self.filters[OUTPUT_FILTER] = _count_output
        self.filters[VALUE_FILTER] = _check_value

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        allowed = SAFE_ATTRIBUTES.get(type(obj), frozenset())
        return attr in allowed and super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value: Any) -> None:
        """No ``str.format``: a width such as ``{:>9999999999}`` makes a huge string."""
        return None

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = __self.budget
        budget.call()
        for argument in (*args, *kwargs.values()):
            budget.refuse_oversized(size_of(argument, budget.limits.value_size + 1))
        if not isinstance(__obj, Macro):
            return _made(budget, super().call(__context, __obj, *args, **kwargs))
        budget.macro_depth += 1
        try:
            if budget.macro_depth > budget.limits.macro_depth:
                raise OverBudget(
                    f"macros called inside each other more than {budget.limits.macro_depth} deep"
                )
            return _made(budget, super().call(__context, __obj, *args, **kwargs))
        finally:
            budget.macro_depth -= 1

    def call_binop(self, context: Context, operator_name: str, left: Any, right: Any) -> Any:
        self.budget.make(_result_size(operator_name, left, right, self.limits.value_size))
        return self.binop_table[operator_name](left, right)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        """Compile a page (or its title); a mistake becomes the page's recorded error.

        A page without template code (most pages) is not compiled: compiling is most of
        what mkdocs-macros costs a page, and such a page renders to its own text."""
        self.budget = Budget(self.limits)
        if isinstance(source, str) and not self.has_template_code(source):
            return VerbatimTemplate(self.verbatim(source))
        is_title = source == self.macros_plugin.page.title  # mkdocs-macros renders it apart
        try:
            template = super().from_string(source, globals, template_class)
        except (TemplateError, RecursionError) as error:
            self.record(error, is_title)
            template = super().from_string("")
        cast(ExplainingTemplate, template).is_title = is_title
        return template

    def has_template_code(self, source: str) -> bool:
        """Whether Jinja would find anything but text in ``source``."""
        if self.line_statement_prefix or self.line_comment_prefix:
            return True  # any line may be code: always compile
        starts = (self.block_start_string, self.variable_start_string, self.comment_start_string)
        return any(start in source for start in starts)

    def verbatim(self, source: str) -> str:
        """What Jinja renders for text without template code: line ends made uniform, and
        one final line end dropped unless ``keep_trailing_newline`` (as its lexer does)."""
        lines = NEWLINE.split(source)[::2]
        if not self.keep_trailing_newline and lines[-1] == "":
            del lines[-1]
        return self.newline_sequence.join(lines)

    def record(self, error: BaseException, is_title: bool) -> None:
        """Keep the page's first error, explained, for :func:`raise_template_error`."""
        if self.error is None:
            self.error = _explain(error, self.macros_plugin.page, is_title)

    def _range(self, *arguments: int) -> range:
        numbers = range(*arguments)
        if len(numbers) > self.limits.range_items:
            raise OverBudget(
                f"range() of {len(numbers):,} numbers (the limit is {self.limits.range_items:,})"
            )
        return numbers


class PageTemplateError(SiteError):
    """A page's macros failed to render: unsafe code, a typo, or a macro's own error."""


def install_sandbox(macros_plugin: Any, limits: Limits | None = None) -> PageSandbox:
    """Replace the mkdocs-macros Jinja environment with a sandbox that has the same macros."""
    plain = macros_plugin.env
    sandbox = PageSandbox(
        limits or Limits(),
        loader=None,
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
            for name, value in macros_plugin.macros.items()
            if name not in MKDOCS_MACROS_BUILTINS
        }
    )
    sandbox.macros_plugin = macros_plugin
    sandbox.template_class = ExplainingTemplate
    macros_plugin._env = sandbox
    return sandbox


#: mkdocs-macros' own macros: pages need none, and ``context`` and ``macros_info`` print the
#: build's whole configuration and environment.
MKDOCS_MACROS_BUILTINS = frozenset({"context", "macros_info", "now", "fix_url"})


def raise_template_error(macros_plugin: Any) -> None:
    """Raise the error the page's template code made, now that mkdocs-macros is done."""
    sandbox = macros_plugin.env
    if isinstance(sandbox, PageSandbox) and sandbox.error is not None:
        error, sandbox.error = sandbox.error, None
        raise error


def page_variables(variables: Mapping[str, Any]) -> dict[str, Any]:
    """What a page's template may read: its front matter, its title and address, and the
    site's name. Never the mkdocs configuration, the plugins, git or the machine: each of
    mkdocs-macros' other variables is replaced by a value that explains this when used."""
    page = variables.get("page")
    config = variables.get("config") or {}
    allowed: dict[str, Any] = {name: _withheld(name) for name in variables}
    allowed |= {name: value for name, value in variables.items() if name in FRONT_MATTER_NAMES}
    allowed["config"] = SiteSettings({name: config.get(name) for name in SITE_NAMES})
    if isinstance(page, Page):
        allowed["page"] = {"title": str(page.title or ""), "url": page.url}
    return allowed


class SiteSettings(dict[str, Any]):
    """The few settings a page may read; any other explains that it is withheld."""

    def __missing__(self, name: str) -> StrictUndefined:
        return _withheld(f"config.{name}")


def _withheld(name: str) -> StrictUndefined:
    settings = ", ".join(f"config.{setting}" for setting in SITE_NAMES)
    return StrictUndefined(
        hint=f"reading {name!r} is not allowed: a page's template code sees only its front "
        f"matter, page.title, page.url, {settings}"
    )


@dataclass(frozen=True)
class VerbatimTemplate:
    """A page without template code: rendering gives its text back."""

    text: str
    is_title = False

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self.text


class ExplainingTemplate(Template):
    """A page template that sees only :func:`page_variables` and records its errors."""

    #: Whether this is the page's title (front matter) rather than its body.
    is_title = False

    def render(self, *args: Any, **kwargs: Any) -> str:
        sandbox = cast(PageSandbox, self.environment)
        try:
            return super().render(page_variables(dict(*args, **kwargs)))
        except SiteError as error:  # a macro's own, already explained
            sandbox.error = sandbox.error or error
        except Exception as error:  # any other mistake in the page's template code
            sandbox.record(error, self.is_title)
        return ""


def _explain(error: BaseException, page: Page, is_title: bool) -> PageTemplateError:
    """The page, the line and what to do, for any error its template code made."""
    name = source_name(page)
    text = page.file.content_string
    if is_title:
        line = line_in(text, "title:")
    else:
        line = getattr(error, "lineno", None) or _template_line(error)
        if line:
            line += front_matter_length(text)
    reason = str(error).rstrip(".") or type(error).__name__
    if isinstance(error, (SecurityError, ForbiddenCode)):
        message = f"this page uses template code that is not allowed ({reason})."
        hint = "Pages may only call the site's macros; remove the code."
    elif isinstance(error, (OverBudget, RecursionError)):
        what = reason if isinstance(error, OverBudget) else "it is nested too deeply"
        message = f"this page's template code does too much work: {what}."
        hint = "Pages only need to call the site's macros; remove the loop or the repetition."
    elif isinstance(error, TemplateSyntaxError):
        message = f"template syntax error: {error.message}."
        hint = "Check the {{ }} and {% %} markers on that line."
    else:
        message = f"template error: {reason}."
        hint = "Check the macro name and its arguments; see the editors' guide."
    return PageTemplateError(name, message, line=line, hint=hint)


@format_error.register
def _report_site_error(error: SiteError, markdown: str, page: Page) -> str:
    """mkdocs-macros prints this text and stops the build: a message, not a traceback."""
    return str(error)


def _template_line(error: BaseException) -> int | None:
    """Jinja rewrites tracebacks so template frames carry the template's own line numbers."""
    line = None
    trace = error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


# -- Budget checks the generated code calls --------------------------------------------

LOOP_FILTER = "ipt_counted_loop"
OUTPUT_FILTER = "ipt_counted_output"
VALUE_FILTER = "ipt_checked_value"


def _budget(context: Context) -> Budget:
    return cast(PageSandbox, context.environment).budget


@pass_context
def _count_iterations(context: Context, iterable: Iterable[Any]) -> Iterator[Any]:
    budget = _budget(context)
    for item in iterable:
        budget.iterate()
        yield item


@pass_context
def _count_output(context: Context, value: Any) -> Any:
    budget = _budget(context)
    budget.make(size_of(value, budget.limits.value_size + 1))
    return value


@pass_context
def _check_value(context: Context, value: Any) -> Any:
    return _made(_budget(context), value)


def _made(budget: Budget, value: Any) -> Any:
    """Account for a value just made (by a call, a filter or ``~``)."""
    if isinstance(value, (str, list, tuple, dict)):
        budget.make(size_of(value, budget.limits.value_size + 1))
    return value


def _bounded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """A Jinja filter that checks its input before, and its result after, it runs."""

    @pass_context
    def bounded(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        budget = _budget(context)
        budget.call()
        budget.make(_filter_result_size(function, value, args, kwargs, budget.limits))
        return _made(budget, _call_filter(function, context, value, args, kwargs))

    return bounded


def _call_filter(
    function: Callable[..., Any], context: Context, value: Any, args: Any, kwargs: Any
) -> Any:
    """Call one of Jinja's filters with the context it asks for, as Jinja itself would."""
    pass_arg = _PassArg.from_obj(function)
    if pass_arg is _PassArg.context:
        return function(context, value, *args, **kwargs)
    if pass_arg is _PassArg.eval_context:
        return function(context.eval_ctx, value, *args, **kwargs)
    if pass_arg is _PassArg.environment:
        return function(context.environment, value, *args, **kwargs)
    return function(value, *args, **kwargs)


def _filter_result_size(
    function: Callable[..., Any], value: Any, args: Any, kwargs: Any, limits: Limits
) -> int:
    """The size of a filter's input, and for ``replace`` and ``join`` of their result."""
    limit = limits.value_size + 1
    size = size_of(value, limit)
    if function is FILTERS["replace"] and isinstance(value, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        matches = value.count(old) if old else len(value) + 1
        size += matches * max(0, len(new) - len(old))
    elif function is FILTERS["join"] and args:
        size += size_of(args[0], limit) * size_of(value, limit)
    return size


def _result_size(operator_name: str, left: Any, right: Any, limit: int) -> int:
    """How big ``left <operator> right`` would be, worked out before running it."""
    numbers = (int, float)
    if operator_name == "%" and isinstance(left, str):
        raise SecurityError("formatting strings with % is not allowed")
    if operator_name == "**" and isinstance(left, numbers) and isinstance(right, numbers):
        bits = abs(right) * math.log2(abs(left) or 1)
        _check_bits(bits, "**")
        return 1
    if operator_name == "*" and isinstance(left, numbers) and isinstance(right, numbers):
        _check_bits(_bits(left) + _bits(right), "*")
        return 1
    if operator_name == "*":
        sequence, times = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(times, int) and not isinstance(times, bool):
            return size_of(sequence, limit + 1) * max(times, 0)
    if operator_name == "+":
        return size_of(left, limit + 1) + size_of(right, limit + 1)
    return 1


def _bits(number: float) -> float:
    return math.log2(abs(number)) if number else 0.0


def _check_bits(bits: float, operator_name: str) -> None:
    if bits > MAX_NUMBER_BITS:
        raise OverBudget(f"a number too large to compute with {operator_name}")


# -- Compile-time checks and counters ----------------------------------------------------


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, after refusing what pages may not use and adding counters:
    every loop counts its iterations, every output and every ``~`` its characters."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for kind in (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends):
            for found in _all(node, kind):
                raise ForbiddenCode("including, importing or extending other files", found.lineno)
        for loop in _all(node, nodes.For):
            if loop.recursive:
                raise ForbiddenCode("recursive loops", loop.lineno)
            loop.iter = _wrap(cast(nodes.Expr, loop.iter), LOOP_FILTER)
        names: list[tuple[object, int]] = [
            (found.attr, found.lineno) for found in _all(node, nodes.Getattr)
        ]
        names += [(_constant(found.arg), found.lineno) for found in _all(node, nodes.Getitem)]
        for name, line in names:
            if isinstance(name, str) and name.startswith("_"):
                raise ForbiddenCode(f"the hidden attribute {name!r}", line)
        for output in _all(node, nodes.Output):
            output.nodes = [_wrap(_as_expression(child), OUTPUT_FILTER) for child in output.nodes]
        for concat in _all(node, nodes.Concat):
            concat.nodes = [_wrap(child, VALUE_FILTER) for child in concat.nodes]
        super().visit_Template(node, frame)


NodeKind = TypeVar("NodeKind", bound=nodes.Node)


def _all(tree: nodes.Node, kind: type[NodeKind]) -> list[NodeKind]:
    """Every node of one kind, collected first so the tree can be changed."""
    return list(tree.find_all(kind))


def _constant(node: nodes.Expr) -> object:
    return node.value if isinstance(node, nodes.Const) else None


def _as_expression(node: nodes.Expr) -> nodes.Expr:
    if isinstance(node, nodes.TemplateData):
        return nodes.Const(node.data, lineno=node.lineno)
    return node


def _wrap(node: nodes.Expr, filter_name: str) -> nodes.Expr:
    return nodes.Filter(node, filter_name, [], [], None, None, lineno=node.lineno)
