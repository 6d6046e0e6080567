"""The rule framework: rule base class, batched suite, options and TODO comments."""
