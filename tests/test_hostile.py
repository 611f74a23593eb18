"""A hostile framework folder: deep nesting and very many bullets are indexed without crashing."""

from __future__ import annotations

from index import parse_folder


def test_deep_nesting_and_five_thousand_bullets(make_ladder, fixture_root, fake_embedder):
    hostile = fixture_root / "hostile"
    hostile.mkdir()
    deep = "".join(f"{'  ' * i}- level {i} bullet words\n" for i in range(200))
    (hostile / "L2-Deep.md").write_text("# L2: Deep\n\n## Domain Expertise\n\n" + deep)
    many = "".join(f"- I did thing number {i} well.\n" for i in range(5000))
    (hostile / "L3-Many.md").write_text("# L3: Many\n\n## Domain Expertise\n\n" + many)

    docs, _ = parse_folder([fixture_root])
    by_path = {d.path: d for d in docs}
    assert len(by_path["hostile/L3-Many.md"].chunks) == 5000
    assert by_path["hostile/L2-Deep.md"].chunks  # parsed, however deep markdown-it lets it nest
    assert "platform/L3-Senior-Platform-Engineer.md" in by_path

    ladder = make_ladder(fixture_root, fake_embedder)
    report = ladder.index()
    assert report.published
    assert report.chunks == 66 + 5000 + len(by_path["hostile/L2-Deep.md"].chunks)
    assert ladder.search("thing number 4321", mode="lexical").results[0].plain == "I did thing number 4321 well."
