"""Build the C tokenizer; all other metadata lives in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "archive._cjk_tokenizer",
            sources=["archive/cjk_tokenizer.c"],
            extra_compile_args=["-O2"],
        )
    ]
)
