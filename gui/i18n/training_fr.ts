<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>ArchitecturePanel</name>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="+104" />
        <source>Model ready: {n} layers, {p} parameters.</source>
        <translation>Modèle prêt : {n} couches, {p} paramètres.</translation>
    </message>
    <message>
        <location line="+7" />
        <source> (frozen)</source>
        <translation> (gelée)</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Total params: {t} - trainable: {tr} - non-trainable: {n}</source>
        <translation>Paramètres : {t} - entraînables : {tr} - gelés : {n}</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Small MNIST CNN (trains in seconds)</source>
        <translation>Petit CNN MNIST (s'entraîne en quelques secondes)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The lesson's CIFAR network</source>
        <translation>Le réseau CIFAR de la leçon</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The lesson's network, GlobalMaxPooling head</source>
        <translation>Le réseau de la leçon, tête GlobalMaxPooling</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Custom</source>
        <translation>Personnalisé</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Architecture</source>
        <translation>Architecture</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Preset</source>
        <translation>Réseau prédéfini</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Generate from hyper-parameters</source>
        <translation>Générer à partir des hyperparamètres</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Conv layers</source>
        <translation>Couches de convolution</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Filters (first layer)</source>
        <translation>Filtres (première couche)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Filter size</source>
        <translation>Taille des filtres</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dense units</source>
        <translation>Neurones denses</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Generate</source>
        <translation>Générer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Up</source>
        <translation>Monter</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Down</source>
        <translation>Descendre</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Build</source>
        <translation>Construire</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save model...</source>
        <translation>Enregistrer le modèle…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open model...</source>
        <translation>Ouvrir un modèle…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Layer (type)</source>
        <translation>Couche (type)</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Output shape</source>
        <translation>Forme de sortie</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Param #</source>
        <translation>Paramètres</translation>
    </message>
</context>
<context>
    <name>BackpropTab</name>
    <message>
        <location filename="../tabs/backprop.py" line="+175" />
        <source>Backprop</source>
        <translation>Rétropropagation</translation>
    </message>
    <message>
        <location line="+53" />
        <source>Check: these sums over every position and channel equal the engine's dL/dW (largest difference {e:.1e}, relative {r:.1e})</source>
        <translation>Vérification : ces sommes sur toutes les positions et tous les canaux égalent le dL/dW du moteur (écart maximal {e:.1e}, relatif {r:.1e})</translation>
    </message>
    <message>
        <location line="+4" />
        <source> and dL/dX (largest difference {e:.1e}).</source>
        <translation> et son dL/dX (écart maximal {e:.1e}).</translation>
    </message>
    <message>
        <location line="+30" />
        <location line="+8" />
        <location line="+68" />
        <source>Play</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <location line="-65" />
        <location line="+65" />
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location line="-39" />
        <source>Position ({i}, {j}) of {n}: dL/dZ = {g:+.4f}.  dL/dW += {g:+.4f} x the orange input window;  dL/dX (orange window) += {g:+.4f} x the filter.</source>
        <translation>Position ({i}, {j}) sur {n} : dL/dZ = {g:+.4f}.  dL/dW += {g:+.4f} x la fenêtre orange de l'entrée ;  dL/dX (fenêtre orange) += {g:+.4f} x le filtre.</translation>
    </message>
    <message>
        <location line="+32" />
        <source>Conv layer</source>
        <translation>Couche de convolution</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Input channel c</source>
        <translation>Canal d'entrée c</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Filter k</source>
        <translation>Filtre k</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Compute gradients</source>
        <translation>Calculer les gradients</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Previous</source>
        <translation>Précédent</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Next</source>
        <translation>Suivant</translation>
    </message>
    <message>
        <location line="+2" />
        <source>All positions</source>
        <translation>Toutes les positions</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="342" />
        <source>Filter W (c, k)</source>
        <translation>Filtre W (c, k)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>dL/dZ: gradient at the output (k)</source>
        <translation>dL/dZ : gradient en sortie (k)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>dL/dW so far</source>
        <translation>dL/dW jusqu'ici</translation>
    </message>
    <message>
        <location line="+1" />
        <source>dL/dW from the engine</source>
        <translation>dL/dW calculé par le moteur</translation>
    </message>
    <message>
        <location line="+1" />
        <source>dL/dX so far (filter k)</source>
        <translation>dL/dX jusqu'ici (filtre k)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>dL/dX from the engine (all filters)</source>
        <translation>dL/dX du moteur (tous les filtres)</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Choose a conv layer and an image, then step through the positions.</source>
        <translation>Choisissez une couche de convolution et une image, puis avancez position par position.</translation>
    </message>
</context>
<context>
    <name>ConfusionMatrixView</name>
    <message>
        <location filename="../widgets/train_plots.py" line="+181" />
        <source>The confusion matrix appears after the first epoch.</source>
        <translation>La matrice de confusion apparaît après la première époque.</translation>
    </message>
    <message>
        <location line="+15" />
        <source>predicted</source>
        <translation>prédit</translation>
    </message>
    <message>
        <location line="+8" />
        <source>true</source>
        <translation>vrai</translation>
    </message>
</context>
<context>
    <name>CurvesPanel</name>
    <message>
        <location line="-107" />
        <source>Loss</source>
        <translation>Perte</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Accuracy</source>
        <translation>Exactitude (accuracy)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>epoch</source>
        <translation>époque</translation>
    </message>
    <message>
        <location line="+3" />
        <source>train</source>
        <translation>entraînement</translation>
    </message>
    <message>
        <location line="+1" />
        <source>validation</source>
        <translation>validation</translation>
    </message>
</context>
<context>
    <name>DrawDialog</name>
    <message>
        <location filename="../widgets/net_drawpad.py" line="+79" />
        <source>Draw a digit</source>
        <translation>Dessinez un chiffre</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Left button: draw. Right button: erase.</source>
        <translation>Bouton gauche : dessiner. Bouton droit : gommer.</translation>
    </message>
</context>
<context>
    <name>FeatureMapView</name>
    <message>
        <location filename="../widgets/net_featuremaps.py" line="+92" />
        <source>{i}. {name} ({cls}): class probabilities (softmax of the {n} outputs)</source>
        <translation>{i}. {name} ({cls}) : probabilités des classes (softmax des {n} sorties)</translation>
    </message>
    <message>
        <location filename="../widgets/net_featuremaps.py" line="100" />
        <source>{i}. {name} ({cls}): {shape}, after pooling</source>
        <translation>{i}. {name} ({cls}) : {shape}, après pooling</translation>
    </message>
    <message>
        <location line="+4" />
        <source>after {act}</source>
        <translation>après {act}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>no activation</source>
        <translation>sans activation</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{i}. {name} ({cls}): {shape}, {after}</source>
        <translation>{i}. {name} ({cls}) : {shape}, {after}</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Input image</source>
        <translation>Image d'entrée</translation>
    </message>
</context>
<context>
    <name>LayerTable</name>
    <message>
        <location filename="../widgets/net_editor.py" line="+99" />
        <source>Layer</source>
        <extracomment>layer types the editor offers, and which columns each uses</extracomment>
        <translation>Couche</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <location line="-1" />
        <source>Filters
or units</source>
        <translation>Filtres
ou neurones</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Stride</source>
        <translation>Pas (stride)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Padding</source>
        <translation>Remplissage (padding)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Activation</source>
        <translation>Activation</translation>
    </message>
</context>
<context>
    <name>LiveView</name>
    <message>
        <location filename="../widgets/train_live.py" line="+79" />
        <source>{p} ({pct:.0%})
true: {t}</source>
        <translation>{p} ({pct:.0%})
vrai : {t}</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Filters of layer 1</source>
        <translation>Filtres de la couche 1</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The first layer's kernels as they learn: blue &lt; 0 &lt; red</source>
        <translation>Les filtres de la première couche pendant l'apprentissage : bleu &lt; 0 &lt; rouge</translation>
    </message>
    <message>
        <location line="+1" />
        <source>blue &lt; 0 &lt; red</source>
        <translation>bleu &lt; 0 &lt; rouge</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Confusion (validation)</source>
        <translation>Confusion (validation)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Worst mistakes</source>
        <translation>Pires erreurs</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Validation images the network gets wrong with the highest confidence: predicted class (probability) and true class</source>
        <translation>Images de validation où le réseau se trompe avec le plus d'assurance : classe prédite (probabilité) et vraie classe</translation>
    </message>
</context>
<context>
    <name>MapDetailDialog</name>
    <message>
        <location filename="../widgets/net_detail.py" line="+25" />
        <source>{name}: map {c}</source>
        <translation>{name} : carte {c}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Map {c} of {name} ({cls}), {h}x{w}: min {lo:.3g}, max {hi:.3g}</source>
        <translation>Carte {c} de {name} ({cls}), {h} × {w} : min {lo:.3g}, max {hi:.3g}</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Its filter {kh}x{kw}, one slice per input channel (bias {b:+.3f}):</source>
        <translation>Son filtre {kh} × {kw}, une tranche par canal d'entrée (biais {b:+.3f}) :</translation>
    </message>
    <message>
        <location line="+12" />
        <source>The input maps these slices are slid over:</source>
        <translation>Les cartes d'entrée sur lesquelles glissent ces tranches :</translation>
    </message>
    <message>
        <location line="+7" />
        <source>The map it pools (same channel):</source>
        <translation>La carte qu'il réduit (même canal) :</translation>
    </message>
</context>
<context>
    <name>NetworkTab</name>
    <message>
        <location filename="../tabs/network.py" line="+151" />
        <source>Stop the training first</source>
        <translation>Arrêtez d'abord l'entraînement</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <location line="+57" />
        <source>Building...</source>
        <translation>Construction…</translation>
    </message>
    <message>
        <location line="+18" />
        <source>This architecture cannot work, the previous model is kept: {m}</source>
        <translation>Cette architecture ne peut pas fonctionner, le modèle précédent est conservé : {m}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Architecture refused</source>
        <translation>Architecture refusée</translation>
    </message>
    <message>
        <location line="+24" />
        <source>validation image {i} (true class: {c})</source>
        <translation>image de validation {i} (vraie classe : {c})</translation>
    </message>
    <message>
        <location line="+25" />
        <source>The image is {a} but the network expects {b}.</source>
        <translation>L'image est en {a} mais le réseau attend {b}.</translation>
    </message>
    <message>
        <location line="+18" />
        <source>{label} - prediction: {c} ({p:.0%})</source>
        <translation>{label} - prédiction : {c} ({p:.0%})</translation>
    </message>
    <message>
        <location line="+19" />
        <source>Open an image</source>
        <translation>Ouvrir une image</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff)</source>
        <translation>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff)</translation>
    </message>
    <message>
        <location line="+28" />
        <source>your drawing</source>
        <translation>votre dessin</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Save the model</source>
        <translation>Enregistrer le modèle</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Model saved to {p}</source>
        <translation>Modèle enregistré dans {p}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Open a model</source>
        <translation>Ouvrir un modèle</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="439" />
        <source>Open model (.npz)...</source>
        <translation>Ouvrir un modèle (.npz)…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save model (.npz)...</source>
        <translation>Enregistrer le modèle (.npz)…</translation>
    </message>
</context>
<context>
    <name>TrainingControls</name>
    <message>
        <location filename="../widgets/train_controls.py" line="+166" />
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <location line="+0" />
        <location line="+61" />
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location line="-45" />
        <source>Digits (MNIST subset)</source>
        <translation>Chiffres (extrait de MNIST)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Shapes (synthetic)</source>
        <translation>Formes (synthétiques)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Folder of images...</source>
        <translation>Dossier d'images…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>CIFAR-10 batches (colour)...</source>
        <translation>Lots CIFAR-10 (couleur)…</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Data</source>
        <translation>Données</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Data set</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Training images</source>
        <translation>Images d'entraînement</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Colour</source>
        <translation>Couleur</translation>
    </message>
    <message>
        <location line="+2" />
        <source>As the images are</source>
        <translation>Comme les images</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Grey (1 channel)</source>
        <translation>Gris (1 canal)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Colour (RGB, 3 channels)</source>
        <translation>Couleur (RVB, 3 canaux)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Grey images feed a network with 1 input channel, colour images one with 3</source>
        <translation>Des images en gris alimentent un réseau à 1 canal d'entrée, des images en couleur un réseau à 3 canaux</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Size (H × W)</source>
        <translation>Taille (H × L)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Height × width the images are resized to</source>
        <translation>Hauteur × largeur auxquelles les images sont redimensionnées</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Choose folder...</source>
        <translation>Choisir un dossier…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>A folder with one sub-folder of images per class, or the CIFAR-10 python batches</source>
        <translation>Un dossier avec un sous-dossier d'images par classe, ou les lots CIFAR-10 au format Python</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Random rotations, shifts, shears, zooms and flips of each training batch</source>
        <translation>Rotations, décalages, cisaillements, zooms et symétries aléatoires de chaque lot d'entraînement</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Settings and preview</source>
        <translation>Réglages et aperçu</translation>
    </message>
    <message>
        <location line="-10" />
        <source>Hyper-parameters</source>
        <translation>Hyperparamètres</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Optimizer</source>
        <translation>Optimiseur</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Learning rate</source>
        <translation>Taux d'apprentissage</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Batch size</source>
        <translation>Taille de lot</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Epochs</source>
        <translation>Époques</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Seed</source>
        <translation>Graine</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Augmentation</source>
        <translation>Augmentation</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Run</source>
        <translation>Exécution</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Start</source>
        <translation>Démarrer</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Step (1 batch)</source>
        <translation>Un pas (1 lot)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Reset weights</source>
        <translation>Réinitialiser les poids</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Back to the exact initial weights, to replay a run</source>
        <translation>Revenir exactement aux poids initiaux, pour rejouer un entraînement</translation>
    </message>
</context>
<context>
    <name>TrainingTab</name>
    <message>
        <location filename="../tabs/training.py" line="+178" />
        <source>Training</source>
        <extracomment>the bottom pages, by name (``show_page``) the lesson's sections this tab shows (see :mod:`gui.models.lesson`)</extracomment>
        <translation>Entraînement</translation>
    </message>
    <message>
        <location line="+39" />
        <source>Folder with the CIFAR-10 python batches (data_batch_1 ... test_batch)</source>
        <translation>Dossier des lots CIFAR-10 au format Python (data_batch_1 … test_batch)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Folder with one sub-folder per class</source>
        <translation>Dossier avec un sous-dossier par classe</translation>
    </message>
    <message>
        <location line="+35" />
        <source>Loading the data set...</source>
        <translation>Chargement du jeu de données…</translation>
    </message>
    <message>
        <location line="+7" />
        <source>{n} training / {v} validation images of {h} × {w} × {c}, {k} classes</source>
        <translation>{n} images d'entraînement / {v} de validation, de {h} × {w} × {c}, {k} classes</translation>
    </message>
    <message>
        <location line="+16" />
        <source>Ready.</source>
        <translation>Prêt.</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Model built for this data set.</source>
        <translation>Modèle construit pour ce jeu de données.</translation>
    </message>
    <message>
        <location line="+9" />
        <source>This network cannot take this data: {m}</source>
        <translation>Ce réseau ne peut pas prendre ces données : {m}</translation>
    </message>
    <message>
        <location line="+68" />
        <source>Training...</source>
        <translation>Entraînement…</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Weights reset to their initial values.</source>
        <translation>Poids remis à leurs valeurs initiales.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Paused. Step runs one batch; Resume continues.</source>
        <translation>En pause. « Un pas » traite un lot ; « Reprendre » continue.</translation>
    </message>
    <message>
        <location line="+35" />
        <source>Training finished.</source>
        <translation>Entraînement terminé.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Training stopped.</source>
        <translation>Entraînement arrêté.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Stopped after the requested number of batches.</source>
        <translation>Arrêté après le nombre de lots demandé.</translation>
    </message>
    <message>
        <location line="+22" />
        <source>The loss became NaN at epoch {e}, batch {b}: the learning rate ({lr:g}) is too high. Try a lower one (e.g. {lr10:g}), then Reset weights.</source>
        <translation>La perte est devenue NaN à l'époque {e}, lot {b} : le taux d'apprentissage ({lr:g}) est trop élevé. Essayez plus bas (par ex. {lr10:g}), puis « Réinitialiser les poids ».</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Training diverged</source>
        <translation>L'entraînement a divergé</translation>
    </message>
    <message>
        <location line="+19" />
        <source>epoch {e}/{E} - batch {b}/{B}</source>
        <translation>époque {e}/{E} - lot {b}/{B}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>loss {loss:.3f} - accuracy {acc:.1%} - {ips:,.0f} images/s - ETA {eta}</source>
        <translation>perte {loss:.3f} - exactitude {acc:.1%} - {ips:,.0f} images/s - reste {eta}</translation>
    </message>
    <message>
        <location line="+204" />
        <source>Live view</source>
        <translation>Vue en direct</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Transfer learning</source>
        <translation>Apprentissage par transfert</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Augmentation</source>
        <translation>Augmentation</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Choose a data set and press Start.</source>
        <translation>Choisissez un jeu de données et appuyez sur Démarrer.</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" />
        <source>Settings</source>
        <translation>Réglages</translation>
    </message>
</context>
<context>
    <name>TransferPanel</name>
    <message>
        <location filename="../widgets/train_transfer.py" line="+193" />
        <source>Base trained on {a}: {acc:.1%} validation accuracy in {s:.1f} s. Now training on {b}...</source>
        <translation>Base entraînée sur {a} : {acc:.1%} d'exactitude en validation en {s:.1f} s. Entraînement sur {b}…</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Training the base network on {a}...</source>
        <translation>Entraînement du réseau de base sur {a}…</translation>
    </message>
    <message>
        <location line="+28" />
        <source>On {task}, the frozen base reached {a:.1%} in {t:.1f} s; from scratch {b:.1%} in {s:.1f} s: the frozen base trained {x:.1f}x faster.</source>
        <translation>Sur {task}, la base gelée atteint {a:.1%} en {t:.1f} s ; depuis zéro {b:.1%} en {s:.1f} s : la base gelée s'entraîne {x:.1f}x plus vite.</translation>
    </message>
    <message>
        <location line="+29" />
        <source>the ten digits</source>
        <translation>les dix chiffres</translation>
    </message>
    <message>
        <location line="+0" />
        <source>the synthetic shapes</source>
        <translation>les formes synthétiques</translation>
    </message>
    <message>
        <location line="+1" />
        <source>digits 0-4</source>
        <translation>les chiffres 0-4</translation>
    </message>
    <message>
        <location line="+0" />
        <source>digits 5-9</source>
        <translation>les chiffres 5-9</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Reuse a trained convolutional base</source>
        <translation>Réutiliser une base convolutionnelle entraînée</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Task</source>
        <translation>Tâche</translation>
    </message>
    <message>
        <location line="+1" />
        <source>digits 0-4 -&gt; digits 5-9</source>
        <translation>chiffres 0-4 -&gt; chiffres 5-9</translation>
    </message>
    <message>
        <location line="+1" />
        <source>digits -&gt; synthetic shapes</source>
        <translation>chiffres -&gt; formes synthétiques</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Epochs per phase</source>
        <translation>Époques par phase</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Images for task B</source>
        <translation>Images pour la tâche B</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Frozen layers of the base (ticked = not trained):</source>
        <translation>Couches gelées de la base (cochée = non entraînée) :</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Run the comparison</source>
        <translation>Lancer la comparaison</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Training time (s)</source>
        <translation>Durée (s)</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Validation accuracy</source>
        <translation>Exactitude
(validation)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Frozen base + new head</source>
        <translation>Base gelée + nouvelle tête</translation>
    </message>
    <message>
        <location line="+1" />
        <source>From scratch</source>
        <translation>Depuis zéro</translation>
    </message>
    <message>
        <location line="+2" />
        <source>epoch on task B</source>
        <translation>époque sur la tâche B</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Trains a base on task A, reuses its convolutions for task B and compares with training from scratch.</source>
        <translation>Entraîne une base sur la tâche A, réutilise ses convolutions pour la tâche B et compare avec un entraînement depuis zéro.</translation>
    </message>
    <message>
        <location line="-8" />
        <source>validation accuracy</source>
        <translation>exactitude en validation</translation>
    </message>
    <message>
        <location line="-141" />
        <source>{i}. {cls} (1 filter)</source>
        <translation>{i}. {cls} (1 filtre)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>{i}. {cls} ({n} filters)</source>
        <translation>{i}. {cls} ({n} filtres)</translation>
    </message>
    <message>
        <location line="+142" />
        <source>frozen base</source>
        <translation>base gelée</translation>
    </message>
    <message>
        <location line="+1" />
        <source>from scratch</source>
        <translation>depuis zéro</translation>
    </message>
</context>
</TS>