<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="fr_FR">
<context>
    <name>ArchitecturePanel</name>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="88" />
        <source>Model ready: {n} layers, {p} parameters.</source>
        <translation>Modèle prêt : {n} couches, {p} paramètres.</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="92" />
        <source> (frozen)</source>
        <translation> (gelée)</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="99" />
        <source>Total params: {t} - trainable: {tr} - non-trainable: {n}</source>
        <translation>Paramètres : {t} - entraînables : {tr} - gelés : {n}</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="103" />
        <source>Small MNIST CNN (trains in seconds)</source>
        <translation>Petit CNN MNIST (s'entraîne en quelques secondes)</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="104" />
        <source>The lesson's CIFAR network</source>
        <translation>Le réseau CIFAR du cours</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="105" />
        <source>The lesson's network, GlobalMaxPooling head</source>
        <translation>Le réseau du cours, tête GlobalMaxPooling</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="105" />
        <source>Custom</source>
        <translation>Personnalisé</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="108" />
        <source>Architecture</source>
        <translation>Architecture</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="109" />
        <source>Preset</source>
        <translation>Modèle prédéfini</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="110" />
        <source>Generate from hyper-parameters</source>
        <translation>Générer à partir des hyperparamètres</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="111" />
        <source>Conv layers</source>
        <translation>Couches de convolution</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="111" />
        <source>Filters (first layer)</source>
        <translation>Filtres (première couche)</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="112" />
        <source>Filter size</source>
        <translation>Taille des filtres</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="112" />
        <source>Dense units</source>
        <translation>Neurones denses</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="114" />
        <source>Generate</source>
        <translation>Générer</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="115" />
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="116" />
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="117" />
        <source>Up</source>
        <translation>Monter</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="118" />
        <source>Down</source>
        <translation>Descendre</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="119" />
        <source>Build</source>
        <translation>Construire</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="120" />
        <source>Save model...</source>
        <translation>Enregistrer le modèle…</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="121" />
        <source>Open model...</source>
        <translation>Ouvrir un modèle…</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="122" />
        <source>Layer (type)</source>
        <translation>Couche (type)</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="122" />
        <source>Output shape</source>
        <translation>Forme de sortie</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="123" />
        <source>Param #</source>
        <translation>Paramètres</translation>
    </message>
</context>
<context>
    <name>AugmentPreview</name>
    <message>
        <location filename="../widgets/train_live.py" line="103" />
        <source>Augmentation preview</source>
        <translation>Aperçu de l'augmentation</translation>
    </message>
    <message>
        <location filename="../widgets/train_live.py" line="109" />
        <source>original</source>
        <translation>originale</translation>
    </message>
    <message>
        <location filename="../widgets/train_live.py" line="109" />
        <source>random {i}</source>
        <translation>aléatoire {i}</translation>
    </message>
</context>
<context>
    <name>BackpropTab</name>
    <message>
        <location filename="../tabs/backprop.py" line="165" />
        <source>Backprop</source>
        <translation>Rétropropagation</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="217" />
        <source>Check: these sums over every position and channel equal the engine's dL/dW (largest difference {e:.1e}, relative {r:.1e})</source>
        <translation>Vérification : ces sommes sur toutes les positions et tous les canaux égalent le dL/dW du moteur (écart maximal {e:.1e}, relatif {r:.1e})</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="220" />
        <source> and dL/dX (largest difference {e:.1e}).</source>
        <translation> et son dL/dX (écart maximal {e:.1e}).</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="249" />
        <location filename="../tabs/backprop.py" line="257" />
        <location filename="../tabs/backprop.py" line="318" />
        <source>Play</source>
        <translation>Lecture</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="260" />
        <location filename="../tabs/backprop.py" line="318" />
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="285" />
        <source>Position ({i}, {j}) of {n}: dL/dZ = {g:+.4f}.  dL/dW += {g:+.4f} x the orange input window;  dL/dX (orange window) += {g:+.4f} x the filter.</source>
        <translation>Position ({i}, {j}) sur {n} : dL/dZ = {g:+.4f}.  dL/dW += {g:+.4f} x la fenêtre orange de l'entrée ;  dL/dX (fenêtre orange) += {g:+.4f} x le filtre.</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="312" />
        <source>Conv layer</source>
        <translation>Couche de convolution</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="312" />
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="312" />
        <source>Input channel c</source>
        <translation>Canal d'entrée c</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="313" />
        <source>Filter k</source>
        <translation>Filtre k</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="315" />
        <source>Compute gradients</source>
        <translation>Calculer les gradients</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="316" />
        <source>Previous</source>
        <translation>Précédent</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="317" />
        <source>Next</source>
        <translation>Suivant</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="319" />
        <source>All positions</source>
        <translation>Toutes les positions</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="320" />
        <source>Input X (channel c, padded)</source>
        <translation>Entrée X (canal c, avec marge)</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="320" />
        <source>Filter W (c, k)</source>
        <translation>Filtre W (c, k)</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="321" />
        <source>dL/dZ: gradient at the output (k)</source>
        <translation>dL/dZ : gradient en sortie (k)</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="321" />
        <source>dL/dW so far</source>
        <translation>dL/dW jusqu'ici</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="322" />
        <source>dL/dW from the engine</source>
        <translation>dL/dW calculé par le moteur</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="322" />
        <source>dL/dX so far (filter k)</source>
        <translation>dL/dX jusqu'ici (filtre k)</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="323" />
        <source>dL/dX from the engine (all filters)</source>
        <translation>dL/dX du moteur (tous les filtres)</translation>
    </message>
    <message>
        <location filename="../tabs/backprop.py" line="327" />
        <source>Choose a conv layer and an image, then step through the positions.</source>
        <translation>Choisissez une couche de convolution et une image, puis avancez position par position.</translation>
    </message>
</context>
<context>
    <name>ConfusionMatrixView</name>
    <message>
        <location filename="../widgets/train_plots.py" line="166" />
        <source>The confusion matrix appears after the first epoch.</source>
        <translation>La matrice de confusion apparaît après la première époque.</translation>
    </message>
    <message>
        <location filename="../widgets/train_plots.py" line="180" />
        <source>predicted</source>
        <translation>prédit</translation>
    </message>
    <message>
        <location filename="../widgets/train_plots.py" line="185" />
        <source>true</source>
        <translation>vrai</translation>
    </message>
</context>
<context>
    <name>CurvesPanel</name>
    <message>
        <location filename="../widgets/train_plots.py" line="89" />
        <source>Loss</source>
        <translation>Perte</translation>
    </message>
    <message>
        <location filename="../widgets/train_plots.py" line="89" />
        <source>Accuracy</source>
        <translation>Précision</translation>
    </message>
    <message>
        <location filename="../widgets/train_plots.py" line="92" />
        <source>epoch</source>
        <translation>époque</translation>
    </message>
    <message>
        <location filename="../widgets/train_plots.py" line="95" />
        <source>train</source>
        <translation>entraînement</translation>
    </message>
    <message>
        <location filename="../widgets/train_plots.py" line="96" />
        <source>validation</source>
        <translation>validation</translation>
    </message>
</context>
<context>
    <name>DrawDialog</name>
    <message>
        <location filename="../widgets/net_drawpad.py" line="79" />
        <source>Draw a digit</source>
        <translation>Dessinez un chiffre</translation>
    </message>
    <message>
        <location filename="../widgets/net_drawpad.py" line="81" />
        <source>Clear</source>
        <translation>Effacer</translation>
    </message>
    <message>
        <location filename="../widgets/net_drawpad.py" line="83" />
        <source>Left button: draw. Right button: erase.</source>
        <translation>Bouton gauche : dessiner. Bouton droit : gommer.</translation>
    </message>
</context>
<context>
    <name>FeatureMapView</name>
    <message>
        <location filename="../widgets/net_featuremaps.py" line="112" />
        <source>{i}. {name} ({cls}): class probabilities (softmax of the {n} outputs)</source>
        <translation>{i}. {name} ({cls}) : probabilités des classes (softmax des {n} sorties)</translation>
    </message>
    <message>
        <location filename="../widgets/net_featuremaps.py" line="115" />
        <source>{i}. {name} (Flatten): the maps laid end to end, a vector of {n} values</source>
        <translation>{i}. {name} (Flatten) : les cartes mises bout à bout, un vecteur de {n} valeurs</translation>
    </message>
    <message>
        <location filename="../widgets/net_featuremaps.py" line="118" />
        <source>{i}. {name} ({cls}): {shape}, after pooling</source>
        <translation>{i}. {name} ({cls}) : {shape}, après pooling</translation>
    </message>
    <message>
        <location filename="../widgets/net_featuremaps.py" line="120" />
        <source>after {act}</source>
        <translation>après {act}</translation>
    </message>
    <message>
        <location filename="../widgets/net_featuremaps.py" line="121" />
        <source>no activation</source>
        <translation>sans activation</translation>
    </message>
    <message>
        <location filename="../widgets/net_featuremaps.py" line="122" />
        <source>{i}. {name} ({cls}): {shape}, {after}</source>
        <translation>{i}. {name} ({cls}) : {shape}, {after}</translation>
    </message>
    <message>
        <location filename="../widgets/net_featuremaps.py" line="135" />
        <source>Input image</source>
        <translation>Image d'entrée</translation>
    </message>
</context>
<context>
    <name>LayerTable</name>
    <message>
        <location filename="../widgets/net_editor.py" line="82" />
        <source>Layer</source>
        <extracomment>layer types the editor offers, and which columns each uses</extracomment>
        <translation>Couche</translation>
    </message>
    <message>
        <location filename="../widgets/net_editor.py" line="82" />
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <location filename="../widgets/net_editor.py" line="82" />
        <source>Filters
or units</source>
        <translation>Filtres
ou neurones</translation>
    </message>
    <message>
        <location filename="../widgets/net_editor.py" line="83" />
        <source>Stride</source>
        <translation>Pas</translation>
    </message>
    <message>
        <location filename="../widgets/net_editor.py" line="83" />
        <source>Padding</source>
        <translation>Marge</translation>
    </message>
    <message>
        <location filename="../widgets/net_editor.py" line="83" />
        <source>Activation</source>
        <translation>Activation</translation>
    </message>
</context>
<context>
    <name>LiveView</name>
    <message>
        <location filename="../widgets/train_live.py" line="83" />
        <source>{p} ({pct:.0%})
true: {t}</source>
        <translation>{p} ({pct:.0%})
vrai : {t}</translation>
    </message>
    <message>
        <location filename="../widgets/train_live.py" line="89" />
        <source>Filters of layer 1</source>
        <translation>Filtres de la couche 1</translation>
    </message>
    <message>
        <location filename="../widgets/train_live.py" line="90" />
        <source>The first layer's kernels as they learn: blue &lt; 0 &lt; red</source>
        <translation>Les noyaux de la première couche pendant l'apprentissage : bleu &lt; 0 &lt; rouge</translation>
    </message>
    <message>
        <location filename="../widgets/train_live.py" line="91" />
        <source>blue &lt; 0 &lt; red</source>
        <translation>bleu &lt; 0 &lt; rouge</translation>
    </message>
    <message>
        <location filename="../widgets/train_live.py" line="92" />
        <source>Confusion (validation)</source>
        <translation>Confusion (validation)</translation>
    </message>
    <message>
        <location filename="../widgets/train_live.py" line="93" />
        <source>Worst mistakes</source>
        <translation>Pires erreurs</translation>
    </message>
    <message>
        <location filename="../widgets/train_live.py" line="94" />
        <source>Validation images the network gets wrong with the highest confidence: predicted class (probability) and true class</source>
        <translation>Images de validation où le réseau se trompe avec le plus d'assurance : classe prédite (probabilité) et vraie classe</translation>
    </message>
</context>
<context>
    <name>MapDetailDialog</name>
    <message>
        <location filename="../widgets/net_detail.py" line="24" />
        <source>{name}: map {c}</source>
        <translation>{name} : carte {c}</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="29" />
        <source>Map {c} of {name} ({cls}), {h}x{w}: min {lo:.3g}, max {hi:.3g}</source>
        <translation>Carte {c} de {name} ({cls}), {h}x{w} : min {lo:.3g}, max {hi:.3g}</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="44" />
        <source>Its filter {kh}x{kw}, one slice per input channel (bias {b:+.3f}):</source>
        <translation>Son filtre {kh}x{kw}, une tranche par canal d'entrée (biais {b:+.3f}) :</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="53" />
        <source>The input maps these slices are slid over:</source>
        <translation>Les cartes d'entrée sur lesquelles glissent ces tranches :</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="58" />
        <source>The map it pools (same channel):</source>
        <translation>La carte qu'il réduit (même canal) :</translation>
    </message>
</context>
<context>
    <name>NetworkTab</name>
    <message>
        <location filename="../tabs/network.py" line="141" />
        <source>Stop the training first</source>
        <translation>Arrêtez d'abord l'entraînement</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="160" />
        <source>Network</source>
        <translation>Réseau</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="210" />
        <source>Building...</source>
        <translation>Construction…</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="230" />
        <source>This architecture cannot work, the previous model is kept: {m}</source>
        <translation>Cette architecture ne peut pas fonctionner, le modèle précédent est conservé : {m}</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="233" />
        <source>Architecture refused</source>
        <translation>Architecture refusée</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="255" />
        <source>validation image {i} (true class: {c})</source>
        <translation>image de validation {i} (vraie classe : {c})</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="277" />
        <source>The image is {a} but the network expects {b}.</source>
        <translation>L'image est en {a} mais le réseau attend {b}.</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="292" />
        <source>{label} - prediction: {c} ({p:.0%})</source>
        <translation>{label} - prédiction : {c} ({p:.0%})</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="307" />
        <source>Open an image</source>
        <translation>Ouvrir une image</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="308" />
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff)</source>
        <translation>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff)</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="327" />
        <source>your drawing</source>
        <translation>votre dessin</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="334" />
        <source>Save the model</source>
        <translation>Enregistrer le modèle</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="339" />
        <source>Model saved to {p}</source>
        <translation>Modèle enregistré dans {p}</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="343" />
        <source>Open a model</source>
        <translation>Ouvrir un modèle</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="396" />
        <source>Validation image</source>
        <translation>Image de validation</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="397" />
        <source>Open image...</source>
        <translation>Ouvrir une image…</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="398" />
        <source>Draw...</source>
        <translation>Dessiner…</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="400" />
        <source>Open model (.npz)...</source>
        <translation>Ouvrir un modèle (.npz)…</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="401" />
        <source>Save model (.npz)...</source>
        <translation>Enregistrer le modèle (.npz)…</translation>
    </message>
</context>
<context>
    <name>TrainingControls</name>
    <message>
        <location filename="../widgets/train_controls.py" line="121" />
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="121" />
        <location filename="../widgets/train_controls.py" line="154" />
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="129" />
        <source>Digits (MNIST subset)</source>
        <translation>Chiffres (extrait de MNIST)</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="129" />
        <source>Shapes (synthetic)</source>
        <translation>Formes (synthétiques)</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="130" />
        <source>Folder of images...</source>
        <translation>Dossier d'images…</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="133" />
        <source>Data</source>
        <translation>Données</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="134" />
        <source>Data set</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="135" />
        <source>Training images</source>
        <translation>Images d'entraînement</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="136" />
        <source>Choose folder...</source>
        <translation>Choisir un dossier…</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="137" />
        <source>A folder with one sub-folder of images per class</source>
        <translation>Un dossier avec un sous-dossier d'images par classe</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="139" />
        <source>Hyper-parameters</source>
        <translation>Hyperparamètres</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="140" />
        <source>Optimizer</source>
        <translation>Optimiseur</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="141" />
        <source>Learning rate</source>
        <translation>Taux d'apprentissage</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="142" />
        <source>Batch size</source>
        <translation>Taille de lot</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="143" />
        <source>Epochs</source>
        <translation>Époques</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="144" />
        <source>Seed</source>
        <translation>Graine</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="145" />
        <source>Augmentation</source>
        <translation>Augmentation</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="146" />
        <source>Random small rotations, shifts and zooms of each training batch</source>
        <translation>Petites rotations, translations et zooms aléatoires de chaque lot d'entraînement</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="147" />
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="148" />
        <source>Run</source>
        <translation>Exécution</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="149" />
        <source>Start</source>
        <translation>Démarrer</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="150" />
        <source>Step (1 batch)</source>
        <translation>Un pas (1 lot)</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="151" />
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="152" />
        <source>Reset weights</source>
        <translation>Réinitialiser les poids</translation>
    </message>
    <message>
        <location filename="../widgets/train_controls.py" line="153" />
        <source>Back to the exact initial weights, to replay a run</source>
        <translation>Revenir exactement aux poids initiaux, pour rejouer un entraînement</translation>
    </message>
</context>
<context>
    <name>TrainingTab</name>
    <message>
        <location filename="../tabs/training.py" line="154" />
        <source>Training</source>
        <translation>Entraînement</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="179" />
        <source>Folder with one sub-folder per class</source>
        <translation>Dossier avec un sous-dossier par classe</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="192" />
        <source>Loading the data set...</source>
        <translation>Chargement du jeu de données…</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="198" />
        <source>{n} training / {v} validation images, {h}x{w}x{c}, {k} classes</source>
        <translation>{n} images d'entraînement / {v} de validation, {h}x{w}x{c}, {k} classes</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="207" />
        <source>Ready.</source>
        <translation>Prêt.</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="221" />
        <source>Model built for this data set.</source>
        <translation>Modèle construit pour ce jeu de données.</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="226" />
        <source>This network cannot take this data: {m}</source>
        <translation>Ce réseau ne peut pas prendre ces données : {m}</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="282" />
        <source>Training...</source>
        <translation>Entraînement…</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="306" />
        <source>Weights reset to their initial values.</source>
        <translation>Poids remis à leurs valeurs initiales.</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="313" />
        <source>Paused. Step runs one batch; Resume continues.</source>
        <translation>En pause. « Un pas » traite un lot ; « Reprendre » continue.</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="347" />
        <source>Training finished.</source>
        <translation>Entraînement terminé.</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="347" />
        <source>Training stopped.</source>
        <translation>Entraînement arrêté.</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="348" />
        <source>Stopped after the requested number of batches.</source>
        <translation>Arrêté après le nombre de lots demandé.</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="365" />
        <source>The loss became NaN at epoch {e}, batch {b}: the learning rate ({lr:g}) is too high. Try a lower one (e.g. {lr10:g}), then Reset weights.</source>
        <translation>La perte est devenue NaN à l'époque {e}, lot {b} : le taux d'apprentissage ({lr:g}) est trop élevé. Essayez plus bas (par ex. {lr10:g}), puis « Réinitialiser les poids ».</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="369" />
        <source>Training diverged</source>
        <translation>L'entraînement a divergé</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="387" />
        <source>epoch {e}/{E} - batch {b}/{B}</source>
        <translation>époque {e}/{E} - lot {b}/{B}</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="390" />
        <source>loss {loss:.3f} - accuracy {acc:.1%} - {ips:,.0f} images/s - ETA {eta}</source>
        <translation>perte {loss:.3f} - précision {acc:.1%} - {ips:,.0f} images/s - reste {eta}</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="439" />
        <source>Live view</source>
        <translation>Vue en direct</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="440" />
        <source>Transfer learning</source>
        <translation>Apprentissage par transfert</translation>
    </message>
    <message>
        <location filename="../tabs/training.py" line="443" />
        <source>Choose a data set and press Start.</source>
        <translation>Choisissez un jeu de données et appuyez sur Démarrer.</translation>
    </message>
</context>
<context>
    <name>TransferPanel</name>
    <message>
        <location filename="../widgets/train_transfer.py" line="244" />
        <source>Base trained on {a}: {acc:.1%} validation accuracy in {s:.1f} s. Now training on {b}...</source>
        <extracomment>transfer tasks: (task A, task B) in the chooser's order</extracomment>
        <translation>Base entraînée sur {a} : {acc:.1%} de précision en validation en {s:.1f} s. Entraînement sur {b}…</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="250" />
        <source>Training the base network on {a}...</source>
        <translation>Entraînement du réseau de base sur {a}…</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="276" />
        <source>On {task}, the frozen base reached {a:.1%} in {t:.1f} s; from scratch {b:.1%} in {s:.1f} s: the frozen base trained {x:.1f}x faster.</source>
        <translation>Sur {task}, la base gelée atteint {a:.1%} en {t:.1f} s ; depuis zéro {b:.1%} en {s:.1f} s : la base gelée s'entraîne {x:.1f}x plus vite.</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="296" />
        <source>the ten digits</source>
        <translation>les dix chiffres</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="296" />
        <source>the synthetic shapes</source>
        <translation>les formes synthétiques</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="297" />
        <source>digits 0-4</source>
        <translation>les chiffres 0-4</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="297" />
        <source>digits 5-9</source>
        <translation>les chiffres 5-9</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="300" />
        <source>Reuse a trained convolutional base</source>
        <translation>Réutiliser une base convolutionnelle entraînée</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="301" />
        <source>Task</source>
        <translation>Tâche</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="302" />
        <source>digits 0-4 -&gt; digits 5-9</source>
        <translation>chiffres 0-4 -&gt; chiffres 5-9</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="303" />
        <source>digits -&gt; synthetic shapes</source>
        <translation>chiffres -&gt; formes synthétiques</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="304" />
        <source>Epochs per phase</source>
        <translation>Époques par phase</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="305" />
        <source>Images for task B</source>
        <translation>Images pour la tâche B</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="306" />
        <source>Frozen layers of the base (ticked = not trained):</source>
        <translation>Couches gelées de la base (cochée = non entraînée) :</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="307" />
        <source>Run the comparison</source>
        <translation>Lancer la comparaison</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="308" />
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="308" />
        <source>Training time (s)</source>
        <translation>Durée d'entraînement (s)</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="309" />
        <source>Validation accuracy</source>
        <translation>Précision en validation</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="310" />
        <source>Frozen base + new head</source>
        <translation>Base gelée + nouvelle tête</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="311" />
        <source>From scratch</source>
        <translation>Depuis zéro</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="313" />
        <source>epoch on task B</source>
        <translation>époque sur la tâche B</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="320" />
        <source>Trains a base on task A, reuses its convolutions for task B and compares with training from scratch.</source>
        <translation>Entraîne une base sur la tâche A, réutilise ses convolutions pour la tâche B et compare avec un entraînement depuis zéro.</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="314" />
        <source>validation accuracy</source>
        <translation>précision en validation</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="317" />
        <source>frozen base</source>
        <translation>base gelée</translation>
    </message>
    <message>
        <location filename="../widgets/train_transfer.py" line="318" />
        <source>from scratch</source>
        <translation>depuis zéro</translation>
    </message>
</context>
</TS>