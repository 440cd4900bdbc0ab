"""Videos: nothing loads from another host until play is pressed; then the privacy-enhanced embed."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from browser_support import VIDEO_MODULE, Session
from playwright.sync_api import expect

EMBED = "https://www.youtube-nocookie.com/embed/"


def embeds(session: Session) -> list[str]:
    return [url for url in session.network.requests if url.startswith(EMBED)]


def test_video_page_requests_nothing_off_site_until_play(session: Session) -> None:
    page = session.goto(f"{VIDEO_MODULE}/")
    page.wait_for_load_state("networkidle")
    play = page.get_by_role("button", name="Play video: Parenting Around the World (loads YouTube)")
    expect(play).to_be_visible()
    # The placeholder (its image included) comes from the site or is drawn inline.
    assert page.locator(".course-video__play img").count() == 0
    assert session.network.requests and session.network.off_site() == [], session.network.off_site()
    expect(page.locator("iframe")).to_have_count(0)

    with page.expect_request(lambda request: request.url.startswith(EMBED)):
        play.click()
    # The one requested embed: the right video, from the privacy-enhanced host, nothing else off site.
    assert session.network.off_site() == embeds(session), session.network.off_site()
    assert len(embeds(session)) == 1
    url = urlsplit(embeds(session)[0])
    assert url.path == "/embed/Nsn2B4IGKo8"
    assert parse_qs(url.query) == {"autoplay": ["1"], "rel": ["0"]}

    frame = page.locator(".course-video iframe")
    expect(frame).to_have_count(1)
    expect(frame).to_have_attribute("title", "Parenting Around the World")
    expect(frame).to_have_attribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen")
    expect(frame).to_have_attribute("allowfullscreen", "")
    expect(frame).to_have_attribute("referrerpolicy", "strict-origin-when-cross-origin")
    expect(frame).to_be_focused()
    # The other video on the page is still a placeholder.
    expect(page.get_by_role("button", name="Play video: Family Traditions Around the World (loads YouTube)")).to_be_visible()


def test_embed_keeps_the_start_time(tiny_session: Session) -> None:
    page = tiny_session.goto("first-steps/")
    page.wait_for_load_state("networkidle")
    assert tiny_session.network.off_site() == []
    with page.expect_request(lambda request: request.url.startswith(EMBED)):
        page.get_by_role("button", name="Play video: Rapport video (loads YouTube)").click()
    url = urlsplit(embeds(tiny_session)[0])
    assert url.path == "/embed/VctaUNJpT6U"
    assert parse_qs(url.query)["start"] == ["65"]


def test_play_refuses_an_embed_address_from_another_host(session: Session) -> None:
    page = session.goto(f"{VIDEO_MODULE}/")
    tampered, genuine = page.locator(".course-video__play").nth(1), page.locator(".course-video__play").first
    tampered.evaluate("button => button.setAttribute('data-embed-src', 'https://video.example.org/embed/Gmazdu2L64E')")
    tampered.click()
    page.wait_for_timeout(200)
    expect(page.locator("iframe")).to_have_count(0)
    assert session.network.off_site() == []
    # The genuine one next to it still plays.
    genuine.click()
    expect(page.locator("iframe")).to_have_count(1)
    assert [urlsplit(url).hostname for url in session.network.off_site()] == ["www.youtube-nocookie.com"]
