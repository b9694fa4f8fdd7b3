"""Every environment variable the settings read is documented in the README and .env.example."""

from pathlib import Path

from ombudsman.conf import REGISTRY

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_from_the_environment_is_documented():
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    assert REGISTRY, "settings were not loaded"
    for name in REGISTRY:
        assert f"`{name}`" in readme, f"{name} is missing from the README"
        assert f"\n{name}=" in example, f"{name} is missing from .env.example"


def test_the_readme_opens_with_the_run_and_test_commands():
    head = (ROOT / "README.md").read_text()[:1200]
    assert "bin/run" in head and "bin/test" in head
    assert head.index("bin/run") < head.index("bin/test")
