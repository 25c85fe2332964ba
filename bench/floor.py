"""The floor a ``check`` is measured against: start Python, import a YAML library, compose every content file.

    python bench/floor.py ROOT [--pyyaml]

Composing builds the node tree with line marks, as the C parser does it (libyaml through
ruamel.yaml.clib, or with --pyyaml through PyYAML's CSafeLoader), and nothing else: no
checks, no scores. It is the least a checker that reports positions must do.
"""

import sys
from pathlib import Path


def main() -> None:
    root = Path(sys.argv[1])
    files = sorted((root / "content").rglob("*.yaml"))
    if "--pyyaml" in sys.argv:
        import yaml

        for path in files:
            yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        return
    from ruamel.yaml import YAML

    parser = YAML(typ="safe", pure=False)
    for path in files:
        parser.compose(path.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
