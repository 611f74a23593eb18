"""``ladder changes``: bullets added, removed and reworded between two commits, in a real repo;
the commits to pick from, and how the app's What changed page shows them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant import views
from assistant.cli import main
from index import Bullet, FrameworkChanges, IndexingError, QueryError, Reworded, SectionChanges, framework_changes
from index.changes import Commit, framework_history
from tests.fakes import HashingEmbedder

from .conftest import FIXTURE
from .gitrepo import Repo, git

L2 = "platform/L2-Platform-Engineer.md"
L3_OLD = "data/L3-Senior-Data-Engineer.md"
L3_NEW = "data/L3-Senior-Analytics-Engineer.md"
L5 = "platform/L5-Principal-Engineer.md"

SUMMARY = (
    "> _I am a dependable member of the platform team who delivers small, well-defined changes "
    "to our infrastructure with weekly guidance._"
)
NEW_L2 = f"""# L2: Platform Engineer

{SUMMARY}

- **Planning horizon**: Current and next sprint.
- **Impact radius**: Self plus some teammates.
- **Evaluation**: Manager and tech lead.
- **Responsibility and direction needed**: Weekly supervision from a senior engineer.

## 🦉 Domain Expertise

- I repair flaky build pipelines and keep the continuous integration jobs green.
- I write Terraform modules for small pieces of infrastructure with review from a senior engineer.
- I review pull requests from my teammates.

<details>
<summary>Examples</summary>

- I upgraded the base container image for one service and rolled it out with my lead's help.

</details>

## 🌱 Teaching and Mentoring

- I share what I learn in our **team channel**.
- I document every change I make in the team wiki.
- I wrote a short guide about the local development environment for new starters.
"""
NEW_L5 = (
    "# L5: Principal Platform Engineer\n\n## Domain Expertise\n\n"
    "- I set the technical strategy for the whole platform.\n"
)
FIX = "I fix flaky build pipelines and keep the continuous integration jobs green."
REPAIR = "I repair flaky build pipelines and keep the continuous integration jobs green."
SQL = "I teach analysts to write efficient SQL queries."
SQL_NEW = "I teach analysts to write efficient and readable SQL queries."
GUIDE = "I wrote a short guide about the local development environment for new starters."
STRATEGY = "I set the technical strategy for the whole platform."


@pytest.fixture
def history(tmp_path: Path) -> tuple[Repo, list[str]]:
    """Three commits: the fixture framework; a recalibration; the new L5 file deleted again."""
    repo = Repo(tmp_path / "career")
    repo.add_tree(FIXTURE, "roles")
    repo.write("tools/build.sh", "echo hi\n")
    first = repo.commit("first")
    repo.write(f"roles/{L2}", NEW_L2)
    (repo.path / "roles" / L3_OLD).rename(repo.path / "roles" / L3_NEW)
    repo.edit(f"roles/{L3_NEW}", SQL, SQL_NEW)
    repo.write(f"roles/{L5}", NEW_L5)
    repo.write("tools/build.sh", "echo changed\n")
    second = repo.commit("recalibration")
    (repo.path / "roles" / L5).unlink()
    third = repo.commit("drop L5")
    return repo, [first, second, third]


#: Similarities are index.diff's one rule: difflib ratio over words (case, punctuation and
#: articles ignored), e.g. "Manager." -> "Manager and tech lead.": 2 x 2 shared / 7 words.
RECALIBRATION = (
    SectionChanges(
        L3_NEW, L3_OLD, "L3 Senior Data Engineer", "Teaching and Mentoring",
        reworded=(Reworded(Bullet(SQL, "expectation", 16), Bullet(SQL_NEW, "expectation", 16), 0.889),),
    ),
    SectionChanges(
        L2, L2, "L2 Platform Engineer", "Attributes",
        reworded=(Reworded(
            Bullet("Evaluation: Manager.", "attribute", 7),
            Bullet("Evaluation: Manager and tech lead.", "attribute", 7),
            0.571,
        ),),
    ),
    SectionChanges(
        L2, L2, "L2 Platform Engineer", "Domain Expertise",
        added=(Bullet("I review pull requests from my teammates.", "expectation", 14),),
        removed=(Bullet("I follow the on-call runbook to restart failed services.", "expectation", 14),),
        reworded=(Reworded(Bullet(FIX, "expectation", 12), Bullet(REPAIR, "expectation", 12), 0.909),),
    ),
    SectionChanges(
        L2, L2, "L2 Platform Engineer", "Teaching and Mentoring",
        added=(Bullet(GUIDE, "expectation", 27),),
        removed=(Bullet(GUIDE, "example", 32),),
    ),
    SectionChanges(
        L5, "", "L5 Principal Platform Engineer", "Domain Expertise",
        added=(Bullet(STRATEGY, "expectation", 5),),
    ),
)


def test_recalibration_added_removed_reworded(history: tuple[Repo, list[str]]) -> None:
    repo, (first, second, _) = history

    found = framework_changes(repo.path / "roles", since=first, until=second)

    assert (found.since, found.until, found.root) == (first, second, str(repo.path / "roles"))
    assert found.files == (L3_NEW, L2, L5)
    assert found.sections == RECALIBRATION
    assert found.notes == ()


def test_default_is_the_last_commit_and_a_deleted_file_is_all_removed(history: tuple[Repo, list[str]]) -> None:
    repo, (_, second, third) = history

    found = framework_changes(repo.path / "roles")

    assert (found.since, found.until, found.files) == (second, third, (L5,))
    assert found.sections == (
        SectionChanges(L5, L5, "L5 Principal Platform Engineer", "Domain Expertise",
                       removed=(Bullet(STRATEGY, "expectation", 5),)),
    )
    same = framework_changes(repo.path / "roles", since=third, until="HEAD")
    assert (same.files, same.sections) == ((), ())


def test_from_the_top_of_the_repository_paths_keep_their_folder(history: tuple[Repo, list[str]]) -> None:
    repo, (first, second, _) = history

    found = framework_changes(repo.path, since=first, until=second)

    assert found.files == (f"roles/{L3_NEW}", f"roles/{L2}", f"roles/{L5}")  # tools/build.sh is not Markdown
    assert [(s.path, s.dimension) for s in found.sections] == [
        (f"roles/{s.path}", s.dimension) for s in RECALIBRATION
    ]


def test_bad_refs_and_folders_outside_git(history: tuple[Repo, list[str]], tmp_path: Path) -> None:
    repo, _ = history
    with pytest.raises(QueryError) as since:
        framework_changes(repo.path / "roles", since="v9")
    assert str(since.value) == f"--since v9: no such commit, branch or tag in {repo.path}"
    with pytest.raises(QueryError) as until:
        framework_changes(repo.path / "roles", until="--output=/tmp/x")
    assert str(until.value) == f"--until --output=/tmp/x: no such commit, branch or tag in {repo.path}"
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(IndexingError) as outside:
        framework_changes(plain)
    assert str(outside.value) == (
        f"{plain}: not inside a git repository; ladder changes compares commits of a framework kept in git"
    )


def test_cli_renders_changes_and_json(history: tuple[Repo, list[str]], tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    repo, (first, second, _) = history
    monkeypatch.setenv("LADDER_STORE", str(tmp_path / "store"))
    root = repo.path / "roles"

    assert main(["changes", str(root), "--since", first, "--until", second]) == 0

    head = f"{root}: {first[:12]}..{second[:12]}: 3 files changed, 5 sections with bullet changes"
    assert capsys.readouterr().out == f"""{head}

L3 Senior Data Engineer / Teaching and Mentoring ({L3_NEW}, was {L3_OLD})
  ~ {SQL}
    -> {SQL_NEW}

L2 Platform Engineer / Attributes ({L2})
  ~ [attribute] Evaluation: Manager.
    -> Evaluation: Manager and tech lead.

L2 Platform Engineer / Domain Expertise ({L2})
  + I review pull requests from my teammates.
  - I follow the on-call runbook to restart failed services.
  ~ {FIX}
    -> {REPAIR}

L2 Platform Engineer / Teaching and Mentoring ({L2})
  + {GUIDE}
  - [example] {GUIDE}

L5 Principal Platform Engineer / Domain Expertise ({L5})
  + {STRATEGY}
"""
    assert main(["changes", str(root), "--since", first, "--until", second, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["files"] == [L3_NEW, L2, L5]
    assert data["sections"][4] == {
        "path": L5, "old_path": "", "role": "L5 Principal Platform Engineer", "dimension": "Domain Expertise",
        "added": [{"text": STRATEGY, "kind": "expectation", "line": 5}], "removed": [], "reworded": [],
    }
    assert main(["changes", str(root), "--since", "nope"]) == 2
    assert capsys.readouterr().err == f"ladder: error: --since nope: no such commit, branch or tag in {repo.path}\n"


def test_a_reversed_range_is_refused_by_the_library_and_the_cli(
    history: tuple[Repo, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, (first, _, third) = history
    root = repo.path / "roles"
    message = f"--since {third} is newer than --until {first}; give the older commit as --since"
    with pytest.raises(QueryError) as reversed_range:
        framework_changes(root, since=third, until=first)
    assert str(reversed_range.value) == message
    monkeypatch.setenv("LADDER_STORE", str(tmp_path / "store"))
    assert main(["changes", str(root), "--since", "HEAD", "--until", "HEAD~2"]) == 2
    assert capsys.readouterr().err == (
        "ladder: error: --since HEAD is newer than --until HEAD~2; give the older commit as --since\n"
    )
    assert not (tmp_path / "store").exists()


@pytest.fixture
def merged(tmp_path: Path) -> tuple[Repo, dict[str, str]]:
    """main: the framework, then two pull requests merged with merge commits, each of two commits."""
    repo = Repo(tmp_path / "merged")
    repo.add_tree(FIXTURE, "roles")
    ids = {"base": repo.commit("framework")}
    for pr, (old, new) in {"pr1": (SQL, SQL_NEW), "pr2": ("I fix flaky", "I repair flaky")}.items():
        git(repo.path, "checkout", "-q", "-b", pr)
        path = L3_OLD if pr == "pr1" else L2
        repo.edit(f"roles/{path}", old, new)
        ids[f"{pr}-a"] = repo.commit(f"{pr}: reword")
        repo.write(f"roles/platform/{pr}.md", f"# L6: {pr.upper()} Engineer\n\n## Domain Expertise\n\n- I did {pr}.\n")
        ids[f"{pr}-b"] = repo.commit(f"{pr}: add a level")
        git(repo.path, "checkout", "-q", "main")
        git(repo.path, "merge", "-q", "--no-ff", "-m", f"Merge {pr}", pr)
        ids[f"merge-{pr}"] = git(repo.path, "rev-parse", "HEAD")
    return repo, ids


def test_the_last_change_on_a_history_with_merges_is_the_last_merge_for_the_cli_and_the_app(
    merged: tuple[Repo, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    repo, ids = merged
    root = repo.path / "roles"
    assert [c.id for c in framework_history(root)] == [ids["merge-pr2"], ids["merge-pr1"], ids["base"]]
    found = framework_changes(root)
    assert (found.since, found.until) == (ids["merge-pr1"], ids["merge-pr2"])
    assert found.files == (L2, "platform/pr2.md")  # the whole of pr2, not only its last commit
    assert (found.since, found.until) == (framework_changes(root, until=ids["merge-pr2"]).since, ids["merge-pr2"])
    # the app's default pair: the two newest commits of the same history
    monkeypatch.setenv("LADDER_ROLES", str(root))
    monkeypatch.setenv("LADDER_STORE", str(tmp_path / "store"))
    history, notice = views.change_history(views.open_ladder(embedder=HashingEmbedder()))
    assert notice == "" and [history[1].id, history[0].id] == [found.since, found.until]
    assert main(["changes", str(root), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["since"], data["until"], data["files"]) == (found.since, found.until, list(found.files))


def test_the_last_change_needs_two_commits_that_touched_the_folder(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "young")
    repo.add_tree(FIXTURE, "roles")
    repo.commit("first")
    with pytest.raises(QueryError) as young:
        framework_changes(repo.path / "roles")
    assert str(young.value) == (
        f"{repo.path / 'roles'}: only one commit has touched the framework folder yet; nothing to compare: "
        "give --since REF"
    )


# -- the commits to pick from -----------------------------------------------------------------


def test_history_lists_the_commits_that_touched_the_folder_newest_first(
    history: tuple[Repo, list[str]], tmp_path: Path
) -> None:
    repo, (first, second, third) = history
    repo.write("tools/build.sh", "echo again\n")
    tools_only = repo.commit("tools only")

    found = framework_history(repo.path / "roles")

    assert [(c.id, c.subject) for c in found] == [(third, "drop L5"), (second, "recalibration"), (first, "first")]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", c.date) for c in found)
    assert [c.id for c in framework_history(repo.path / "roles", limit=2)] == [third, second]
    assert [c.id for c in framework_history(repo.path / "tools")] == [tools_only, second, first]
    assert len(framework_history(repo.path)) == 4


def test_history_of_a_folder_outside_git_or_without_commits(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(IndexingError) as outside:
        framework_history(plain)
    assert str(outside.value) == (
        f"{plain}: not inside a git repository; keep the framework in git to see what each commit changed"
    )
    empty = Repo(tmp_path / "empty")
    (empty.path / "roles").mkdir()
    assert framework_history(empty.path / "roles") == ()


# -- what the app shows of them ---------------------------------------------------------------


def test_app_view_groups_changes_by_role_with_counts_signs_and_links() -> None:
    found = FrameworkChanges("/r", "a" * 40, "b" * 40, (L3_NEW, L2, L5), RECALIBRATION)

    def link(path: str, line: int, commit: str) -> str:
        return f"https://h.example/{commit[:1]}/{path}#L{line}" if path == L2 else ""

    assert views.changes_summary(found) == "3 files changed: 3 bullets added, 2 removed, 3 reworded in 5 sections."
    groups = views.change_groups(found, link)
    assert [(g.role, g.source) for g in groups] == [
        ("L3 Senior Data Engineer", r"data/L3\-Senior\-Analytics\-Engineer\.md · renamed from "
                                    r"data/L3\-Senior\-Data\-Engineer\.md".replace("/", r"\/")),
        ("L2 Platform Engineer", r"[platform\/L2\-Platform\-Engineer\.md](<https://h.example/b/" + L2 + "#L0>)"),
        ("L5 Principal Platform Engineer", r"platform\/L5\-Principal\-Engineer\.md · new file"),
    ]
    domain = groups[1].sections[1]
    assert (domain.dimension, domain.counts) == (
        "Domain Expertise", r":green-badge[\+1 added] :red-badge[\-1 removed] :orange-badge[1 reworded]"
    )
    assert domain.bullets.splitlines() == [
        r"- :green[**\+**] I review pull requests from my teammates\. "
        f":gray[[line 14](<https://h.example/b/{L2}#L14>)]",
        r"- :red[**\-**] I follow the on\-call runbook to restart failed services\. "
        f":gray[[line 14](<https://h.example/a/{L2}#L14>)]",  # removed: the line in the older commit
        r"- :orange[**\~**] I :red[~~fix~~] flaky build pipelines and keep the continuous integration jobs "
        r"green\.  ",
        r"  → I :green[**repair**] flaky build pipelines and keep the continuous integration jobs green\. "
        f":gray[[line 12](<https://h.example/b/{L2}#L12>)]",
    ]
    teaching = groups[1].sections[2]
    assert teaching.bullets.splitlines()[1] == (
        r"- :red[**\-**] I wrote a short guide about the local development environment for new starters\. "
        f":gray-badge[Example] :gray[[line 32](<https://h.example/a/{L2}#L32>)]"
    )
    assert views.change_groups(found)[2].sections[0].bullets == (
        r"- :green[**\+**] I set the technical strategy for the whole platform\. :gray[line 5]"
    )
    assert views.changes_summary(FrameworkChanges("/r", "a", "b", (L2,), ())) == (
        "1 file changed, no bullet: the text of the framework reads the same."
    )
    assert views.changes_summary(FrameworkChanges("/r", "a", "b", (), ())) == (
        "No role document changed between these commits."
    )


def test_commit_labels_are_one_short_line() -> None:
    assert views.commit_label(Commit("0123456789" * 4, "2024-05-01T10:00:00+02:00", "Recalibrate\tL3")) == (
        "0123456 · 2024-05-01 · Recalibrate L3"
    )
    long = views.commit_label(Commit("f" * 40, "2024-05-01T10:00:00+02:00", "x" * 100))
    assert long == "fffffff · 2024-05-01 · " + "x" * 71 + "…"
