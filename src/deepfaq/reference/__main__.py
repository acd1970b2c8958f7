"""``python -m deepfaq.reference build --from DIR``: see :mod:`deepfaq.reference.build`."""

import sys

from deepfaq.reference.build import main

sys.exit(main())
