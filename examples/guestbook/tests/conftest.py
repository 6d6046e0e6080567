# The guestbook's modules import each other as top-level modules (App Engine
# put the app folder on sys.path), and the legacy imports resolve through the
# shim: the two lines a legacy app's test suite needs on Python 3.
import os
import sys

import compat

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
compat.install()
