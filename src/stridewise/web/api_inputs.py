"""The typed bodies of ``POST /api/screenings`` now live in
:mod:`stridewise.core.screening_inputs`, shared with the CLI's ``screen --answers``; this name
stays for the API's imports."""

from stridewise.core.screening_inputs import BoneIn, FractureIn, ParqIn, ScreeningIn, TriadIn

__all__ = ["BoneIn", "FractureIn", "ParqIn", "ScreeningIn", "TriadIn"]
