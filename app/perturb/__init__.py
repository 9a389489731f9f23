"""The false-variant engine: operators over lexicons kept as data files in perturb/data/.

A pure library (no database, no Flask): `generate` gives the ranked false variants of one true
sentence, `generate_many` those of a batch with operators spread across the first places.
"""

from app.perturb.engine import Variant, generate, generate_many
from app.perturb.lexicon import Lexicon, default_lexicon
from app.perturb.operators import Context

__all__ = ["Context", "Lexicon", "Variant", "default_lexicon", "generate", "generate_many"]
