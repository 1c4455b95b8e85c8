"""The GUI's Qt-free models: the state and the engine jobs the views show, with no widget in sight.

Each module is plain Python over :mod:`engine` (an import-linter contract forbids Qt here), so it is tested
without a display and a view receives what it draws as explicit arguments:

* :mod:`gui.models.convolution`: the convolution lab (:class:`~gui.models.convolution.ConvolutionLab`): its
  settings, the lazy sliding walk (one channel or all three), the maps the engine computed, hover and the
  partial maps of a step; :mod:`gui.models.lab_maps` is its engine job;
* :mod:`gui.models.compare`: the comparison pages' numbers: padding coverage and the pooling-vs-stride race;
* :mod:`gui.models.backprop`: one conv layer's gradients for one image, stepped by
  :class:`engine.sliding.BackwardWalk`;
* :mod:`gui.models.data`: the data sets the learning tabs offer (float32 in [0, 1]) and their subsets;
* :mod:`gui.models.session`: what the lab session does with a model (summary, compile, presets, head);
* :mod:`gui.models.network`: every layer's output for one image (the Network tab's maps);
* :mod:`gui.models.transfer`: the transfer-learning experiment's models and data.

Functions that take a model run in the engine thread (:class:`gui.workers.EngineWorker`); their results are
copies the GUI thread may keep.
"""
