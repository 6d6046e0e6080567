"""The consistency policies of legacy ``google.appengine.datastore.datastore_stub_util``.

Legacy test suites pass one to ``testbed.init_datastore_v3_stub(consistency_policy=...)``
to test code against eventual consistency. The testbed stand-in turns them
into the Cloud Datastore emulator's own job policy (``Emulator.configure``):

* ``PseudoRandomHRConsistencyPolicy(probability=p, seed=s)``: a write is
  visible to global (non-ancestor) queries at once with probability ``p``;
  the others are applied when their entity group is read (a get, an ancestor
  query), as in legacy. ``probability=0`` makes every global query miss new
  writes; ``probability=1`` is strong consistency.
* ``MasterSlaveConsistencyPolicy()``: strong consistency.
* ``TimeBasedHRConsistencyPolicy()``: the emulator has no time-based policy;
  the stand-in applies writes with the policy's 98 % first-bucket
  probability (documented in docs/verify.md).

Custom subclasses of ``BaseHighReplicationConsistencyPolicy`` (a
``_ShouldApply`` of their own) cannot be honoured by the emulator: the
testbed raises TypeError naming the class, as legacy's emulator mode did.
"""

import random

SEQUENTIAL = "sequential"
SCATTERED = "scattered"


class BaseConsistencyPolicy:
    """Base class of the consistency policies."""

    #: the emulator's probability of applying a write at once (None: cannot be expressed)
    def emulator_probability(self):
        """The fraction of writes the emulator applies at once under this policy, or None."""
        return None


class MasterSlaveConsistencyPolicy(BaseConsistencyPolicy):
    """Every write applied at commit (strong consistency)."""

    def emulator_probability(self):
        return 1.0


class BaseHighReplicationConsistencyPolicy(BaseConsistencyPolicy):
    """Writes applied asynchronously (High Replication Datastore)."""


class TimeBasedHRConsistencyPolicy(BaseHighReplicationConsistencyPolicy):
    """Writes applied after a delay drawn from a classification map (approximated, see the module doc)."""

    _classification_map = [(0.98, 100), (0.99, 300), (0.995, 2000), (1, 240000)]

    def SetClassificationMap(self, classification_map):
        """Set ``[(probability, delay_ms), ...]``; TypeError on a bad entry, as legacy."""
        for probability, delay in classification_map:
            if probability < 0 or probability > 1 or delay <= 0:
                raise TypeError("classification_map must be a list of (probability, delay) tuples, found %r"
                                % (classification_map,))
        self._classification_map = sorted(classification_map)

    def emulator_probability(self):
        return float(self._classification_map[0][0])


class PseudoRandomHRConsistencyPolicy(BaseHighReplicationConsistencyPolicy):
    """Each write applied before a global query with ``probability`` (default 0.5), seeded."""

    def __init__(self, probability=None, seed=0):
        if probability is None:
            probability = 0.5
        self._listeners = []
        self.SetProbability(probability)
        self.SetSeed(seed)

    def SetProbability(self, probability):
        """Change the probability; TypeError outside [0, 1], as legacy."""
        if probability < 0 or probability > 1:
            raise TypeError("probability must be a number between 0 and 1, found %r" % probability)
        self._probability = probability
        self._changed()

    def SetSeed(self, seed):
        """Change the seed."""
        self._random = random.Random(seed)
        self._seed = seed
        self._changed()

    @property
    def probability(self):
        """The probability of a write applying before a global query."""
        return self._probability

    @property
    def random_seed(self):
        """The seed."""
        return self._seed

    def emulator_probability(self):
        return float(self._probability)

    def _changed(self):
        for listener in list(getattr(self, "_listeners", ())):
            listener(self)
