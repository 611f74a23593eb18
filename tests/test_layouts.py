"""Every framework layout (tests/fixtures/layouts/, written for these tests): the level (name and
order), dimension, kind and line of each chunk, what the parser reports, and level names."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import RoleDoc, Skipped, parse_folder
from index.layouts import dimension_name, level_axis, level_name, misdecoded
from index.parse import parse_markdown

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def parse(name: str) -> tuple[dict[str, RoleDoc], list[Skipped]]:
    docs, skipped = parse_folder([LAYOUTS / name])
    return {d.path: d for d in docs}, skipped


def rows(doc: RoleDoc, kinds: tuple[str, ...] = ("expectation", "example", "summary", "attribute")) -> list[tuple]:
    return [(c.level, c.level_num, c.dimension, c.kind, c.line, c.plain) for c in doc.chunks if c.kind in kinds]


def test_matrix_pipe_table_one_column_per_level() -> None:
    docs, skipped = parse("matrix")
    assert skipped == []
    doc = docs["ladder.md"]
    levels = ("L1 Junior Programmer", "L2 Programmer", "L3 Senior Programmer")
    assert (doc.layout, doc.levels) == ("matrix table", levels)
    assert [(c.kind, c.line) for c in doc.chunks if c.kind == "overview"] == [("overview", 3)]
    assert rows(doc) == [
        ("L1", 1.0, "Code Quality", "expectation", 8, "Writes readable code with guidance from reviewers."),
        ("L2", 2.0, "Code Quality", "expectation", 8, "Writes readable, tested code without being asked."),
        ("L3", 3.0, "Code Quality", "expectation", 8,
         "Sets the code quality bar for the team and raises it in reviews."),
        ("L1", 1.0, "Debugging", "expectation", 9, "Fixes well-defined bugs in one module."),
        ("L2", 2.0, "Debugging", "expectation", 9, "Finds the cause of bugs that span several modules."),
        ("L3", 3.0, "Debugging", "expectation", 9, "Diagnoses production incidents across services under pressure."),
        ("L1", 1.0, "Mentoring", "expectation", 11, "Asks for help early."),
        ("L2", 2.0, "Mentoring", "expectation", 11, "Pairs with junior programmers on their first tasks."),
        ("L3", 3.0, "Mentoring", "expectation", 11, "Mentors programmers toward promotion."),
        ("L3", 3.0, "Mentoring", "expectation", 11, "Runs the team's onboarding."),
    ]
    assert {c.role for c in doc.chunks if c.level == "L2"} == {"Programmer"}
    assert len({c.id for c in doc.chunks}) == len(doc.chunks)


def test_html_table_named_levels_in_column_order() -> None:
    docs, skipped = parse("html-matrix")
    assert skipped == []
    doc = docs["competencies.md"]
    # the levels name no role: the document's title is the role
    assert (doc.layout, doc.levels) == ("matrix table", tuple(
        f"{lv} Data competencies" for lv in ("Beginner", "Intermediate", "Advanced", "Expert")))
    assert rows(doc) == [
        ("Beginner", 1.0, "Delivery", "expectation", 17, "Completes small analyses that a colleague has scoped."),
        ("Beginner", 1.0, "Delivery", "expectation", 18, "Documents the queries behind every chart."),
        ("Intermediate", 2.0, "Delivery", "expectation", 23,
         "Scopes and delivers an analysis from question to answer."),
        ("Advanced", 3.0, "Delivery", "expectation", 28, "Plans a quarter of analytical work for a product area."),
        ("Expert", 4.0, "Delivery", "expectation", 33, "Shapes the analytical roadmap of several product areas."),
        ("Beginner", 1.0, "Communication", "expectation", 44, "Presents findings to the immediate team."),
        ("Intermediate", 2.0, "Communication", "expectation", 45,
         "Explains uncertainty in results to product managers."),
        ("Advanced", 3.0, "Communication", "expectation", 46,
         "Persuades directors with clear narratives built on data."),
        ("Expert", 4.0, "Communication", "expectation", 47, "Represents the data team to the executive group."),
    ]
    assert {c.role for c in doc.chunks if c.level} == {"Data competencies"}


def test_many_levels_as_headings_with_sub_levels() -> None:
    docs, skipped = parse("headings")
    assert skipped == []
    doc = docs["engineering-ladder.md"]
    assert doc.layout == "levels as headings"
    assert doc.levels == (
        "Engineer I", "Engineer II", "Senior Engineer I", "Senior Engineer II", "Staff Engineer", "Principal Engineer",
    )
    assert rows(doc) == [
        ("Engineer I", 1.0, "", "summary", 7, "You are learning the codebase and delivering with support."),
        ("Engineer I", 1.0, "Expectations", "expectation", 11, "Ships small, well-scoped changes with guidance."),
        ("Engineer I", 1.0, "Expectations", "expectation", 12, "Writes tests for the code they change."),
        ("Engineer II", 2.0, "Expectations", "expectation", 18, "Ships features of a few weeks end to end."),
        ("Engineer II", 2.0, "Expectations", "expectation", 19, "Reviews teammates' pull requests thoughtfully."),
        ("Senior Engineer I", 3.1, "Expectations", "expectation", 27,
         "Leads the design of a feature across several services."),
        ("Senior Engineer I", 3.1, "Expectations", "expectation", 28, "Mentors engineers on the team."),
        ("Senior Engineer II", 3.2, "Expectations", "expectation", 34, "Leads projects that span two teams."),
        ("Senior Engineer II", 3.2, "Expectations", "expectation", 35, "Writes tests for the code they change."),
        ("Staff Engineer", 4.0, "Expectations", "expectation", 41, "Sets the technical direction of a group of teams."),
        ("Principal Engineer", 5.0, "Expectations", "expectation", 47, "Shapes the architecture of the whole company."),
    ]
    # the intro before the first level is about the framework
    assert [(c.kind, c.level, c.line) for c in doc.chunks if c.kind == "overview"] == [("overview", "", 3)]
    assert len({c.id for c in doc.chunks}) == len(doc.chunks)  # the same bullet at two levels: two chunks


def test_prose_files_ordered_by_the_readme_list() -> None:
    docs, skipped = parse("prose")
    assert skipped == []
    assert [(p, d.level, d.level_num, d.layout) for p, d in sorted(docs.items(), key=lambda kv: kv[1].level_num)] == [
        ("README.md", "", -1.0, "overview"),
        ("engineer.md", "Engineer", 1.0, "one level per file"),
        ("senior-engineer.md", "Senior Engineer", 2.0, "one level per file"),
        ("staff-engineer.md", "Staff Engineer", 3.0, "one level per file"),
    ]
    assert rows(docs["senior-engineer.md"]) == [
        ("Senior Engineer", 2.0, "Impact", "expectation", 7,
         "You deliver projects that change how a whole product area works. Other engineers rely on your designs."),
        ("Senior Engineer", 2.0, "Ownership", "expectation", 11,
         "You own a service end to end, including its on-call health and its roadmap."),
    ]


def test_octopus_role_pages_and_inheritance() -> None:
    docs, skipped = parse("octopus")
    assert skipped == [
        Skipped("Product.md", "no levels found in Product.md: read as a role page whose expectations apply to one "
                              "role; is it a table with one column per level?"),
    ]
    everyone = docs["Everyone.md"]
    assert (everyone.layout, everyone.level, everyone.role, everyone.is_overview) == (
        "role page without levels", "", "Everyone", False)
    assert rows(everyone) == [
        ("", -1.0, "", "summary", 3, "These are the expectations of every person at Kraken Co; all other roles "
                                     "build on them."),
        ("", -1.0, "I Am a Dependable Teammate", "expectation", 7, "I keep the commitments I make to my team."),
        ("", -1.0, "I Am a Dependable Teammate", "expectation", 8, "I ask for help before a problem becomes urgent."),
        ("", -1.0, "I Keep Learning", "expectation", 12, "I set myself a learning goal every quarter."),
        ("", -1.0, "I Keep Learning", "expectation", 13, "I share what I learn with my team."),
    ]
    engineer = docs["Engineering/L2-Engineer.md"]
    assert engineer.builds_on == ("../Everyone.md", "https://git.example.com/kraken/people/blob/main/Leadership.md")
    assert {c.inherits for c in engineer.chunks} == {"Everyone.md|Leadership.md"}
    assert docs["Product.md"].layout == "role page without levels"
    assert all(c.kind != "overview" for p, d in docs.items() if p != "README.md" for c in d.chunks)


def test_octopus_extensionless_customer_success_files() -> None:
    docs, _ = parse("octopus")
    junior = docs["Customer-Success/L2-Junior-Customer-Success-Manager"]
    assert (junior.level, junior.role, junior.title) == ("L2", "Junior Customer Success Manager",
                                                         "Junior Customer Success Manager")
    assert rows(junior) == [
        ("L2", 2.0, "", "summary", 3, "I am learning to look after a book of customers with help from my team."),
        ("L2", 2.0, "Core Competencies", "expectation", 7, "I answer customer emails within one working day."),
        ("L2", 2.0, "Core Competencies", "expectation", 8, "I keep notes of every customer call in our CRM."),
        ("L2", 2.0, "Team Collaboration", "expectation", 11, "I ask my team for help with unusual requests."),
    ]
    manager = docs["Customer-Success/L3-Customer-Success-Manager"]
    assert manager.builds_on == ("Junior Customer Success",)
    assert {c.inherits for c in manager.chunks} == {"Customer-Success/L2-Junior-Customer-Success-Manager"}
    assert manager.summary == "I am a confident owner of a book of customers."


def test_octopus_bold_attribute_lines_and_examples_paragraphs() -> None:
    docs, _ = parse("octopus")
    doc = docs["Engineering/L4 - Lead Engineer.md"]
    assert doc.attributes == {"planning_horizon": "6-12 months", "impact_radius": "Team (5-15)",
                              "evaluation": "Manager or Director"}
    assert [(c.kind, c.dimension, c.line) for c in doc.chunks if c.kind in ("expectation", "example")] == [
        ("expectation", "Domain Expertise", 11),
        ("expectation", "Domain Expertise", 12),
        ("example", "Domain Expertise", 16),
        ("example", "Domain Expertise", 17),
        ("expectation", "Teaching and Mentoring", 21),  # "**Examples:**" on the next line is not part of it
        ("example", "Teaching and Mentoring", 24),
    ]
    assert "Examples" not in doc.dimensions
    assert next(c for c in doc.chunks if c.line == 21).plain == "I coach engineers toward their next level."


def test_support_what_success_looks_like_is_examples() -> None:
    docs, _ = parse("octopus")
    doc = docs["Support/L2-Support-Engineer.md"]
    assert [(c.kind, c.dimension, c.line) for c in doc.chunks if c.dimension == "What Success Looks Like"] == [
        ("example", "What Success Looks Like", 12),
        ("example", "What Success Looks Like", 14),
        ("example", "What Success Looks Like", 15),
    ]


def test_text_in_any_script() -> None:
    docs, skipped = parse("scripts")
    assert skipped == [
        Skipped("L3-Senior-Engineer.md", "line 3: 'ðŸ¦‰' looks mis-decoded (UTF-8 read as another encoding); "
                                         "re-save the file as UTF-8"),
    ]
    l1, l2 = docs["L1-初级工程师.md"], docs["L2 软件工程师.md"]
    assert (l1.level, l1.role, l2.level, l2.role) == ("L1", "初级工程师", "L2", "软件工程师")
    assert l1.dimensions == ("技术能力", "团队合作")  # ":octopus:" and "🌱" removed
    assert rows(l2, ("expectation",)) == [
        ("L2", 2.0, "技术能力", "expectation", 7, "我独立设计和交付中等规模的功能。"),
        ("L2", 2.0, "技术能力", "expectation", 8, "我编写测试。"),
        ("L2", 2.0, "团队合作", "expectation", 12, "我指导初级工程师。"),
        ("L2", 2.0, "团队合作", "expectation", 13, "🎉 I celebrate launches with the team."),
    ]
    assert [c.line for c in l1.chunks] == [3, 7, 12]  # the emoji-only bullet on line 8 is a placeholder
    assert docs["L3-Senior-Engineer.md"].dimensions == ("Domain Expertise",)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("L4: Lead Cloud Engineer", ("L4", 4.0, "Lead Cloud Engineer")),
        ("Junior Programmer (L1)", ("L1", 1.0, "Junior Programmer")),
        ("Level 3", ("Level 3", 3.0, "")),
        ("IC5 Staff Engineer", ("IC5", 5.0, "Staff Engineer")),
        ("Senior Engineer", ("Senior Engineer", None, "")),
        ("Engineer II", ("Engineer II", None, "")),
        ("Leading Expert", ("Leading Expert", None, "")),
        ("Domain Expertise", None),
        ("Leadership", None),
        ("I lead projects", None),
        ("What success looks like", None),
    ],
)
def test_level_names(name: str, expected: tuple[str, float | None, str] | None) -> None:
    found = level_name(name)
    assert (found and (found.level, found.number, found.role)) == expected if expected else found is None


def test_level_axis_order_and_strays() -> None:
    axis = level_axis(["Overview", "Beginner", "Intermediate", "Advanced"])
    assert axis is not None and [a and a.level for a in axis] == [None, "Beginner", "Intermediate", "Advanced"]
    assert level_axis(["Delivery", "Communication", "Senior"]) is None  # one level among dimensions
    # seniority words rank the levels only where the document gives no order: here, top down
    from index.layouts import axis_numbers

    names = [level_name(n) for n in ("Principal", "Staff", "Senior", "Junior")]
    assert axis_numbers([n for n in names if n]) == [4.0, 3.0, 2.0, 1.0]


def test_dimension_names_and_misdecoding() -> None:
    assert dimension_name(":octopus: Managing Teams") == "Managing Teams"
    assert dimension_name("🦉 domain expertise") == "Domain Expertise"
    assert dimension_name("\uf8ffü¶â Domain expertise") == "Domain Expertise"
    assert dimension_name("## 技术能力 🚀") == "技术能力"
    assert misdecoded("ðŸ¦‰ Domain") == "ðŸ¦‰"
    assert misdecoded("Café déjà vu 指导") == ""


def test_rows_per_level_table_and_a_table_that_is_no_ladder() -> None:
    doc = parse_markdown(
        "# Ladder\n\n| Level | Delivery | Teamwork |\n|---|---|---|\n"
        "| Junior | Ships small fixes. | Asks questions. |\n| Senior | Leads projects. | Mentors others. |\n",
        "ladder.md",
    )
    assert [(c.level, c.level_num, c.dimension, c.line, c.plain) for c in doc.chunks if c.level] == [
        ("Junior", 1.0, "Delivery", 5, "Ships small fixes."),
        ("Junior", 1.0, "Teamwork", 5, "Asks questions."),
        ("Senior", 2.0, "Delivery", 6, "Leads projects."),
        ("Senior", 2.0, "Teamwork", 6, "Mentors others."),
    ]
    other = parse_markdown("# Tools\n\n| Tool | Owner | Notes |\n|---|---|---|\n| CI | Platform | Fast |\n", "tools.md")
    assert other.notes == ("line 3: table not indexed; no levels found in tools.md: is it a table with one "
                           "column per level?",)


def test_levels_under_competency_headings_share_one_order() -> None:
    doc = parse_markdown(
        "# Competencies\n\n## Delivery\n\n### Junior\n- Ships small fixes.\n\n### Mid\n- Ships features.\n\n"
        "### Senior\n- Leads projects.\n\n## Communication\n\n### Mid\n- Writes clear design docs.\n\n"
        "### Senior\n- Presents to the company.\n",
        "competencies.md",
    )
    assert doc.layout == "levels as headings"
    assert [(c.level, c.level_num, c.dimension, c.line) for c in doc.chunks] == [
        ("Junior", 1.0, "Delivery", 6),
        ("Mid", 2.0, "Delivery", 9),
        ("Senior", 3.0, "Delivery", 12),
        ("Mid", 2.0, "Communication", 17),  # not 1: the file's order, not this section's
        ("Senior", 3.0, "Communication", 20),
    ]


def test_tables_that_skip_a_level_share_one_order() -> None:
    doc = parse_markdown(
        "# Skills\n\n### Delivery\n\n| | Beginner | Intermediate | Advanced |\n|---|---|---|---|\n"
        "| | Ships fixes. | Ships features. | Leads projects. |\n\n### Communication\n\n"
        "| | Intermediate | Advanced | Expert |\n|---|---|---|---|\n"
        "| | Writes docs. | Presents. | Speaks at conferences. |\n",
        "skills.md",
    )
    assert [(c.level, c.level_num, c.dimension, c.line) for c in doc.chunks] == [
        ("Beginner", 1.0, "Delivery", 7),
        ("Intermediate", 2.0, "Delivery", 7),
        ("Advanced", 3.0, "Delivery", 7),
        ("Intermediate", 2.0, "Communication", 13),
        ("Advanced", 3.0, "Communication", 13),
        ("Expert", 4.0, "Communication", 13),
    ]


def test_changes_in_a_matrix_file_are_reported_per_level(tmp_path: Path) -> None:
    from index import framework_changes

    from .gitrepo import Repo

    repo = Repo(tmp_path / "repo")
    repo.add_tree(LAYOUTS / "matrix", "roles")
    first = repo.commit("matrix")
    repo.edit("roles/ladder.md", "Finds the cause of bugs that span several modules.",
              "Finds the root cause of bugs that span several modules.")
    second = repo.commit("reword an L2 cell")
    found = framework_changes(repo.path / "roles", since=first, until=second)
    assert [(s.role, s.dimension, [(r.before.text, r.after.text) for r in s.reworded]) for s in found.sections] == [
        ("L2 Programmer", "Debugging", [("Finds the cause of bugs that span several modules.",
                                         "Finds the root cause of bugs that span several modules.")]),
    ]


def test_a_name_between_two_levels_is_a_level() -> None:
    doc = parse_markdown(
        "| Competency | Associate | Engineer | Senior | Staff |\n|---|---|---|---|---|\n"
        "| Delivery | Ships fixes. | Ships features. | Leads projects. | Sets direction. |\n",
        "ladder.md",
    )
    assert [(c.level, c.level_num, c.role, c.dimension) for c in doc.chunks] == [
        ("Associate", 1.0, "Ladder", "Delivery"),
        ("Engineer", 2.0, "Engineer", "Delivery"),
        ("Senior", 3.0, "Ladder", "Delivery"),
        ("Staff", 4.0, "Ladder", "Delivery"),
    ]


def test_short_cells_of_a_level_table_are_attributes() -> None:
    doc = parse_markdown(
        "# Levels\n\n| Level | Planning horizon | Scope |\n|---|---|---|\n"
        "| L1 | 1-2 weeks | Writes tests for their own changes. |\n| L2 | One quarter | Owns a service end to end. |\n",
        "levels.md",
    )
    assert [(c.level, c.kind, c.key, c.dimension, c.plain) for c in doc.chunks if c.level] == [
        ("L1", "attribute", "planning_horizon", "", "Planning Horizon: 1-2 weeks"),
        ("L1", "expectation", "", "Scope", "Writes tests for their own changes."),
        ("L2", "attribute", "planning_horizon", "", "Planning Horizon: One quarter"),
        ("L2", "expectation", "", "Scope", "Owns a service end to end."),
    ]


def test_a_heading_around_the_whole_ladder_is_not_a_dimension() -> None:
    doc = parse_markdown(
        "# Engineering\n\n## Our levels\n\n### Junior\n- Ships small fixes.\n\n### Senior\n- Leads projects.\n",
        "levels.md",
    )
    assert [(c.level, c.level_num, c.dimension) for c in doc.chunks] == [("Junior", 1.0, ""), ("Senior", 2.0, "")]


def test_dimension_headings_with_seniority_words_are_no_ladder() -> None:
    doc = parse_markdown(
        "# L3: Engineer\n\n## Delivery\n- I ship.\n\n## Lead by example\n- I model good habits.\n\n"
        "## Staff management\n- I hire well.\n\n## Communication\n- I write clearly.\n",
        "L3-Engineer.md",
    )
    assert doc.layout == "one level per file"
    assert {c.level for c in doc.chunks} == {"L3"}
    assert doc.dimensions == ("Delivery", "Lead by Example", "Staff Management", "Communication")


def test_html_table_with_markdown_lists_in_its_cells_and_no_th() -> None:
    # blank lines split such a table into several HTML blocks: it is read whole from the source
    doc = parse_markdown(
        "# Skills matrix\n\n### Delivery\n\n<table>\n"
        "<tr><td><b>Beginner</b></td><td><b>Intermediate</b></td><td><b>Advanced</b></td></tr>\n"
        "<tr>\n<td>\n\n- Ships small fixes.\n- Asks for reviews.\n\n</td>\n<td>\n\n- Ships features.\n\n</td>\n"
        "<td>\n\n- Leads projects.\n\n</td>\n</tr>\n</table>\n\n## Notes\n\n- The matrix is reviewed yearly.\n",
        "matrix.md",
    )
    assert doc.notes == ()
    assert [(c.level, c.level_num, c.dimension, c.kind, c.line, c.plain) for c in doc.chunks] == [
        ("Beginner", 1.0, "Delivery", "expectation", 10, "Ships small fixes."),
        ("Beginner", 1.0, "Delivery", "expectation", 11, "Asks for reviews."),
        ("Intermediate", 2.0, "Delivery", "expectation", 16, "Ships features."),
        ("Advanced", 3.0, "Delivery", "expectation", 21, "Leads projects."),
        ("", -1.0, "Notes", "overview", 29, "The matrix is reviewed yearly."),
    ]


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("IC3-Backend-Engineer.md", "# Backend Engineer\n\n- I ship.\n", ("IC3", 3.0, "Backend Engineer")),
        ("level-2.md", "# Engineer\n\n- I ship.\n", ("Level 2", 2.0, "Engineer")),
        ("Staff.md", "# Staff Engineer\n\n- I set direction.\n", ("Staff Engineer", 4.0, "Staff Engineer")),
        ("README.md", "# Roles\n\n- [Staff](Staff.md)\n", ("", -1.0, "Roles")),
        ("senior.md", "# Senior Software Engineer (L3)\n\n- I ship.\n", ("L3", 3.0, "Senior Software Engineer")),
        ("senior.md", "# Senior Engineer - IC4\n\n- I ship.\n", ("IC4", 4.0, "Senior Engineer")),
        ("ec2.md", "# Working with EC2\n\n- I ship.\n", ("", -1.0, "Working with EC2")),
    ],
)
def test_level_from_a_code_in_the_file_name_or_a_named_title(path: str, text: str, expected: tuple) -> None:
    doc = parse_markdown(text, path)
    assert (doc.level, doc.level_num, doc.role) == expected


def test_front_matter_gives_title_and_level_and_keeps_lines() -> None:
    text = "---\ntitle: Senior Engineer\nlevel: 3\n---\n\n## Delivery\n\n- I ship features.\n"
    doc = parse_markdown(text, "senior.md")
    assert (doc.level, doc.level_num, doc.role, doc.title) == ("Level 3", 3.0, "Senior Engineer", "Senior Engineer")
    assert [(c.kind, c.line, c.dimension, c.plain) for c in doc.chunks] == [
        ("expectation", 8, "Delivery", "I ship features."),
    ]


def test_bold_lines_naming_levels_are_levels() -> None:
    doc = parse_markdown(
        "# Engineering levels\n\nIntro text.\n\n**Level 1 - Associate Engineer**\n\n- Ships small fixes.\n\n"
        "**Level 2 - Engineer**\n\n- Ships features.\n\n## Notes\n\n- Reviewed yearly.\n",
        "levels.md",
    )
    assert doc.levels == ("Level 1 Associate Engineer", "Level 2 Engineer")
    assert [(c.level, c.level_num, c.role, c.kind, c.line) for c in doc.chunks] == [
        ("", -1.0, "Engineering levels", "overview", 3),
        ("Level 1", 1.0, "Associate Engineer", "expectation", 7),
        ("Level 2", 2.0, "Engineer", "expectation", 11),
        ("", -1.0, "Engineering levels", "overview", 15),
    ]


def test_sections_built_alike_with_some_level_names_are_a_ladder_of_roles() -> None:
    section = "## {}\n\n> I am {}.\n\n### What I do\n\n- I do {} work.\n\n"
    names = ("Software Engineer", "Quality Assurance Engineer", "Senior Software Engineer", "Team Lead")
    text = "# Engineering Roles\n\n" + "".join(section.format(n, n.lower(), n.lower()) for n in names)
    doc = parse_markdown(text, "Engineering.md")
    assert doc.layout == "levels as headings"
    assert [(c.level, c.level_num, c.dimension, c.kind, c.line) for c in doc.chunks] == [
        ("Software Engineer", 1.0, "", "summary", 5),
        ("Software Engineer", 1.0, "What I Do", "expectation", 9),
        ("Quality Assurance Engineer", 2.0, "", "summary", 13),
        ("Quality Assurance Engineer", 2.0, "What I Do", "expectation", 17),
        ("Senior Software Engineer", 3.0, "", "summary", 21),
        ("Senior Software Engineer", 3.0, "What I Do", "expectation", 25),
        ("Team Lead", 4.0, "", "summary", 29),
        ("Team Lead", 4.0, "What I Do", "expectation", 33),
    ]


def test_a_readme_list_of_level_names_orders_the_level_files(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Levels\n\n1. Engineer\n2. Senior Engineer\n3. Staff Engineer\n", "utf-8")
    for name, title in (("a.md", "Staff Engineer"), ("b.md", "Engineer"), ("c.md", "Senior Engineer")):
        (tmp_path / name).write_text(f"# {title}\n\n## Impact\n\nYou deliver work as a {title.lower()}.\n", "utf-8")
    docs, skipped = parse_folder([tmp_path])
    assert skipped == []
    assert sorted((d.level_num, d.level, d.path) for d in docs if d.levels) == [
        (1.0, "Engineer", "b.md"), (2.0, "Senior Engineer", "c.md"), (3.0, "Staff Engineer", "a.md"),
    ]
