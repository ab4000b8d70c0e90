"""Build the C tokenizer if a compiler is there; all other metadata lives in pyproject.toml.

The extension is optional: without a C compiler (or with CC=/bin/false) the install goes
on and `archive/fts.py` uses the same tokenizer written in Python (`archive/cjk_tokens.py`).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "archive._cjk_tokenizer",
            sources=["archive/cjk_tokenizer.c"],
            extra_compile_args=["-O2"],
            optional=True,
        )
    ]
)
