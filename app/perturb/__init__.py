"""The false-variant engine: operators over lexicons kept as data files in perturb/data/."""
