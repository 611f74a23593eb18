"""Frameworks from git: a local bare repository over file:// (no network)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import assistant.cli as cli_module
from assistant import Settings, build_ladder
from assistant.cli import main
from index import IndexingError, QueryError, is_git_url, open_store, parse_folder, web_link
from index.git import public_url, web_url

from .conftest import FIXTURE, FIXTURE_FILES, FIXTURE_L2
from .fakes import HashingEmbedder
from .gitrepo import Repo, git

L2, FILES = FIXTURE_L2, FIXTURE_FILES
OLD = "I fix flaky build pipelines"
NEW = "I repair flaky build pipelines"


@pytest.fixture
def origin(tmp_path: Path) -> tuple[Repo, Path]:
    """A working repository (framework under roles/, plus a file outside it) and its bare twin."""
    repo = Repo(tmp_path / "work")
    repo.add_tree(FIXTURE, "roles")
    repo.write("tools/build.sh", "echo not part of the framework\n")
    repo.commit("first")
    git(repo.path, "tag", "v1")
    return repo, repo.bare(tmp_path / "framework.git")


def _ladder(tmp_path: Path, embedder: HashingEmbedder):
    settings = Settings(store=tmp_path / "store", cache=tmp_path / "cache")
    return build_ladder(settings, embedder=embedder, store=open_store(tmp_path / "store"))


def _embed_texts(root: Path, rel: str) -> set[str]:
    docs, _ = parse_folder([root])
    return {c.embed_text() for d in docs if d.path == rel for c in d.chunks}


def test_clone_index_then_fetch_reindexes_only_the_edited_file(origin: tuple[Repo, Path], tmp_path: Path) -> None:
    repo, bare = origin
    url = f"file://{bare}"
    embedder = HashingEmbedder()
    ladder = _ladder(tmp_path, embedder)
    first_commit = git(repo.path, "rev-parse", "HEAD")

    report, source = ladder.index_git(url, subdir="roles")

    assert (report.added, report.published) == (FILES, True)
    assert source.checkout == tmp_path / "cache" / "git" / source.checkout.parent.name / "framework"
    expected = {"url": url, "ref": "main", "commit": first_commit, "subdir": "roles", "web": ""}
    assert ladder.status().source == expected
    before = _embed_texts(source.root, L2)

    repo.edit(f"roles/{L2}", OLD, NEW)
    second_commit = repo.commit("reword one bullet")
    repo.push()
    report, source = ladder.index_git(url, subdir="roles")

    changed = _embed_texts(source.root, L2) - before
    assert len(changed) == 1
    assert (report.updated, report.added, report.removed) == ([L2], [], [])
    assert report.unchanged == [f for f in FILES if f != L2]
    assert report.embedded == len(changed)
    assert ladder.status().source == {**expected, "commit": second_commit}
    assert ladder.status().roots == [str(source.root.resolve())]


def test_commit_outside_the_framework_updates_the_commit_only(origin: tuple[Repo, Path], tmp_path: Path) -> None:
    repo, bare = origin
    ladder = _ladder(tmp_path, HashingEmbedder())
    ladder.index_git(f"file://{bare}", subdir="roles")
    repo.write("tools/build.sh", "echo changed\n")
    commit = repo.commit("tools only")
    repo.push()

    report, _ = ladder.index_git(f"file://{bare}", subdir="roles")

    assert (report.updated, report.added, report.removed, report.embedded) == ([], [], [], 0)
    assert (report.unchanged, report.published) == (FILES, True)
    assert ladder.status().source["commit"] == commit

    again, _ = ladder.index_git(f"file://{bare}", subdir="roles")
    assert (again.published, again.embedded) == (False, 0)


def test_ref_can_be_a_tag_a_branch_or_a_commit(origin: tuple[Repo, Path], tmp_path: Path) -> None:
    repo, bare = origin
    first = git(repo.path, "rev-parse", "HEAD")
    repo.edit(f"roles/{L2}", OLD, NEW)
    repo.commit("second")
    git(repo.path, "checkout", "-q", "-b", "draft")
    repo.write("roles/platform/L5-Principal.md", "# L5: Principal Platform Engineer\n\n- I set direction.\n")
    draft = repo.commit("draft")
    repo.push("main", "draft", "v1")
    ladder = _ladder(tmp_path, HashingEmbedder())

    _, at_tag = ladder.index_git(f"file://{bare}", ref="v1", subdir="roles")
    assert (at_tag.commit, at_tag.ref) == (first, "v1")
    assert OLD in (at_tag.root / L2).read_text()
    report, at_branch = ladder.index_git(f"file://{bare}", ref="draft", subdir="roles")
    assert (at_branch.commit, report.added, report.updated) == (draft, ["platform/L5-Principal.md"], [L2])
    _, at_sha = ladder.index_git(f"file://{bare}", ref=first[:10], subdir="roles")
    assert at_sha.commit == first


def test_git_errors_are_one_clear_line(origin: tuple[Repo, Path], tmp_path: Path) -> None:
    _, bare = origin
    ladder = _ladder(tmp_path, HashingEmbedder())
    with pytest.raises(QueryError) as unknown:
        ladder.index_git(f"file://{bare}", ref="no-such-branch")
    assert str(unknown.value) == f"--ref no-such-branch: no branch, tag or commit of that name in file://{bare}"
    with pytest.raises(QueryError) as outside:
        ladder.index_git(f"file://{bare}", subdir="../..")
    assert str(outside.value).startswith(f"--subdir ../..: no such folder in file://{bare} at ")
    (tmp_path / "plain").mkdir()
    with pytest.raises(IndexingError) as not_repo:
        ladder.index_git(f"file://{tmp_path}/plain")
    assert str(not_repo.value) == (
        f"file://{tmp_path}/plain: not a git repository "
        f"('{tmp_path}/plain' does not appear to be a git repository)"
    )
    with pytest.raises(IndexingError) as unreachable:
        ladder.index_git("https://someone:hunter2-secret@127.0.0.1:1/org/repo.git")
    message = str(unreachable.value)
    assert message.startswith("https://127.0.0.1:1/org/repo.git: unreachable (unable to access ")
    assert "hunter2" not in message and "someone" not in message
    with pytest.raises(QueryError) as bad:
        ladder.index_git("--upload-pack=touch /tmp/x")
    assert str(bad.value) == "--upload-pack=touch /tmp/x: not a git URL; use https://host/org/repo.git or file:///path"
    with pytest.raises(QueryError) as ext:
        ladder.index_git("ext::sh -c touch% /tmp/pwned")
    assert "not a git URL" in str(ext.value)


def test_urls_links_and_credentials() -> None:
    assert [is_git_url(u) for u in (
        "https://github.com/org/repo.git", "file:///srv/repo.git", "git@github.com:org/repo.git",
        "ssh://git@host/repo", "roles/", "/srv/repo", "ext::sh -c x", "C:/x",
    )] == [True, True, True, True, False, False, False, False]
    assert public_url("https://me:tok@git.example.com:8443/org/repo.git") == "https://git.example.com:8443/org/repo.git"
    assert web_url("https://me:tok@github.com/org/career.git") == "https://github.com/org/career"
    assert web_url("git@github.com:org/career.git") == "https://github.com/org/career"
    assert web_url("ssh://git@gitlab.example.com/team/career.git") == "https://gitlab.example.com/team/career"
    assert web_url("git://example.com/career.git") == ""
    assert web_url("file:///srv/career.git") == ""
    source = {"web": "https://github.com/org/career", "commit": "abc123", "subdir": "roles"}
    assert web_link(source, "platform/L2 Engineer.md", 12) == (
        "https://github.com/org/career/blob/abc123/roles/platform/L2%20Engineer.md#L12"
    )
    assert web_link({**source, "subdir": ""}, "L2.md") == "https://github.com/org/career/blob/abc123/L2.md"
    assert web_link({"web": "", "commit": "abc123"}, "L2.md", 3) == ""


def test_cli_index_url_and_status_show_the_commit(origin: tuple[Repo, Path], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    repo, bare = origin
    commit = git(repo.path, "rev-parse", "HEAD")
    monkeypatch.setenv("LADDER_STORE", str(tmp_path / "store"))
    monkeypatch.setenv("LADDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cli_module, "build_ladder", lambda s: build_ladder(s, embedder=HashingEmbedder()))

    assert main(["index", f"file://{bare}", "--subdir", "roles", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["added"], out["source"]) == (
        FILES, {"url": f"file://{bare}", "ref": "main", "commit": commit, "subdir": "roles", "web": ""}
    )
    assert main(["status"]) == 0
    assert f"source: file://{bare} @ {commit[:12]}\n" in capsys.readouterr().out
    assert main(["index", "roles/", "--ref", "main"]) == 2
    assert capsys.readouterr().err == (
        "ladder: error: --ref, --subdir and --web-url go with a git URL, "
        "e.g. ladder index https://host/org/repo.git --ref main\n"
    )


WEB = "https://git.example.com/org/framework"


def test_results_link_each_bullet_to_its_line_at_the_indexed_commit(origin: tuple[Repo, Path], tmp_path: Path) -> None:
    repo, bare = origin
    commit = git(repo.path, "rev-parse", "HEAD")
    ladder = _ladder(tmp_path, HashingEmbedder())
    ladder.index_git(f"file://{bare}", subdir="roles", web=WEB + "/")

    found = ladder.search("flaky build pipelines", k=5)
    assert found.results
    for r in found.results:
        assert r.url == f"{WEB}/blob/{commit}/roles/{r.path.replace(' ', '%20')}#L{r.line}"
        # the linked line of the linked file holds the bullet
        line = (repo.path / "roles" / r.path).read_text().splitlines()[r.line - 1]
        assert r.plain.split()[0] in line
    assert found.to_json()["results"][0]["url"] == found.results[0].url
    assert [lv.url for lv in found.levels] == [f"{WEB}/blob/{commit}/roles/{lv.path}" for lv in found.levels]

    report = ladder.fit(OLD + "\nI mentor new engineers on the team")
    best = report.best
    assert best is not None and best.url == f"{WEB}/blob/{commit}/roles/{best.path}"
    assert [m.url for m in best.evidence] == [f"{WEB}/blob/{commit}/roles/{best.path}#L{m.line}" for m in best.evidence]
    assert all(g.url.endswith(f"/roles/{g.path}#L{g.line}") for g in report.gaps)

    answer = ladder.ask("how far ahead should an L2 plan?")
    assert answer.citations
    expected = [f"{WEB}/blob/{commit}/roles/{c.path}#L{c.line}" for c in answer.citations]
    assert [c.url for c in answer.citations] == expected


def test_no_web_address_no_links_and_a_bad_web_url_is_one_line(origin: tuple[Repo, Path], tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    repo, bare = origin
    ladder = _ladder(tmp_path, HashingEmbedder())
    ladder.index_git(f"file://{bare}", subdir="roles")
    assert {r.url for r in ladder.search("flaky build pipelines").results} == {""}

    monkeypatch.setenv("LADDER_STORE", str(tmp_path / "store2"))
    monkeypatch.setenv("LADDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(cli_module, "build_ladder", lambda s: build_ladder(s, embedder=HashingEmbedder()))
    assert main(["index", f"file://{bare}", "--web-url", "ftp://me:secret@host/x"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "ladder: error: --web-url 'ftp://host/x': give the repository's web page, e.g. https://github.com/org/repo\n"
    )
    assert main(["index", f"file://{bare}", "--subdir", "roles", "--web-url", WEB]) == 0
    capsys.readouterr()
    assert main(["search", OLD, "-k", "1"]) == 0
    assert f"{WEB}/blob/" in capsys.readouterr().out


def test_a_refused_url_hides_query_tokens_and_leaves_no_clone_behind(tmp_path: Path) -> None:
    ladder = _ladder(tmp_path, HashingEmbedder())
    with pytest.raises(IndexingError) as err:
        ladder.index_git("https://127.0.0.1:1/org/repo.git?private_token=glpat-SECRET99")
    assert str(err.value).startswith("https://127.0.0.1:1/org/repo.git?private_token=***: unreachable (")
    assert "SECRET99" not in str(err.value)
    assert list((tmp_path / "cache" / "git").iterdir()) == []  # no empty clone folder left in the cache


def test_public_url_hides_every_secret() -> None:
    assert public_url("https://TOKEN123@github.com/org/r.git?a=1&private_token=x") == (
        "https://github.com/org/r.git?a=***&private_token=***")
    assert public_url("http://bob:pw@[::1]:8080/v1") == "http://[::1]:8080/v1"
    assert public_url("http://bob:pw@[::1/v1") == "http://[::1/v1"
    assert public_url("roles/") == "roles/"
