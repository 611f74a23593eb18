"""index.diff: the one bullet diff behind Compare and What changed."""

from __future__ import annotations

from index.diff import MAX_PAIRS, Bullet, BulletDiff, Pair, bullet_key, diff_bullets, similarity


def b(text: str, line: int, kind: str = "expectation") -> Bullet:
    return Bullet(text, kind, line)


def test_shared_by_key_and_kind_then_reworded_best_pair_first() -> None:
    old = [b("I write the test plan.", 1), b("I run the suite.", 2), b("I run the suite.", 3),
           b("I mentor junior engineers.", 4), b("I water plants.", 5), b("I write the test plan.", 6, "example")]
    new = [b("I mentor junior and senior engineers.", 1), b("I run the suite.", 2),
           b("I write the test plan.", 3), b("I design the strategy.", 4)]

    found = diff_bullets(old, new)

    assert found == BulletDiff(
        only_a=(b("I run the suite.", 3), b("I water plants.", 5), b("I write the test plan.", 6, "example")),
        only_b=(b("I design the strategy.", 4),),
        shared=(Pair(old[0], new[2], 1.0), Pair(old[1], new[1], 1.0)),
        reworded=(Pair(old[3], new[0], 0.8),),
    )


def test_the_key_decides_what_is_shared() -> None:
    old, new = [b("I write THE test plan", 1)], [b("i write test plan.", 1)]
    assert diff_bullets(old, new).reworded == (Pair(old[0], new[0], 1.0),)
    assert diff_bullets(old, new, key=lambda x: bullet_key(x.text)).shared == (Pair(old[0], new[0], 1.0),)


def test_threshold_and_the_pair_limit() -> None:
    old, new = [b("alpha beta gamma delta", 1)], [b("alpha beta epsilon zeta", 1)]
    assert similarity(old[0].text, new[0].text) == 0.5
    assert len(diff_bullets(old, new).reworded) == 1
    assert diff_bullets(old, new, threshold=0.51).reworded == ()
    many = [b(f"alpha beta {i}", i) for i in range(201)]
    assert 201 * 200 > MAX_PAIRS
    found = diff_bullets(many, [b(f"alpha beta x{i}", i) for i in range(200)])
    assert (len(found.reworded), len(found.only_a), len(found.only_b)) == (0, 201, 200)


def test_json_names_id_and_context_only_for_indexed_bullets() -> None:
    assert b("I did it.", 3).to_json() == {"text": "I did it.", "kind": "expectation", "line": 3}
    assert Bullet("I did it.", "example", 3, id="x1", context="Within:").to_json() == {
        "text": "I did it.", "kind": "example", "line": 3, "id": "x1", "context": "Within:"
    }
