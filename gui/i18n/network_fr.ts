<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
<context>
    <name>ArchitecturePanel</name>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="140" />
        <source>whole image</source>
        <translation>toute l'image</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="192" />
        <source>Receptive field</source>
        <translation>Champ récepteur</translation>
    </message>
    <message>
        <location filename="../widgets/net_arch_panel.py" line="196" />
        <source>Receptive field: how many input pixels one cell of the layer's output sees. The filters stay 3x3, but after each pooling a cell sees a larger part of the image.</source>
        <translation>Champ récepteur : combien de pixels de l'entrée une case de la sortie de la couche voit. Les filtres restent en 3 × 3, mais après chaque pooling une case voit une plus grande partie de l'image.</translation>
    </message>
</context>
<context>
    <name>CellArithmetic</name>
    <message>
        <location filename="../widgets/net_detail.py" line="82" />
        <source>Window × filter, summed: {terms} = {s}</source>
        <translation>Fenêtre × filtre, additionnés : {terms} = {s}</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="89" />
        <source>… ({n} more)</source>
        <translation>… ({n} de plus)</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="92" />
        <source>One window sum per input channel (window · filter slice), the channel in brackets: {terms} = {s}</source>
        <translation>Une somme par canal d'entrée (fenêtre · tranche du filtre), le canal entre crochets : {terms} = {s}</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="97" />
        <source>+ bias {b} = {z}</source>
        <translation>+ biais {b} = {z}</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="101" />
        <source>mean</source>
        <translation>moyenne</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="109" />
        <source>z = Σ of {n} products x·w + bias. The largest: {top}; all together {s}</source>
        <translation>z = Σ de {n} produits x·w + biais. Les plus grands : {top} ; en tout {s}</translation>
    </message>
</context>
<context>
    <name>CellDetailDialog</name>
    <message>
        <location filename="../widgets/net_detail.py" line="329" />
        <source>{name}: value {k}</source>
        <translation>{name} : valeur {k}</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="337" />
        <source>Value {k} of the vector is cell ({r}, {c}) of map {m} of the previous layer ({v}). NHWC order: index = (row × {w} + column) × {n} + channel = ({r} × {w} + {c}) × {n} + {m} = {k}: Flatten reads all {n} channels of one position before moving to the next.</source>
        <translation>La valeur {k} du vecteur est la case ({r}, {c}) de la carte {m} de la couche précédente ({v}). Ordre NHWC : indice = (ligne × {w} + colonne) × {n} + canal = ({r} × {w} + {c}) × {n} + {m} = {k} : Flatten lit les {n} canaux d'une position avant de passer à la suivante.</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="345" />
        <source>Value {k} = the largest of the {n} values of map {k} ({v}), found at ({i}, {j}). Where it was is not kept: only that the feature was found, and how strongly.</source>
        <translation>Valeur {k} = la plus grande des {n} valeurs de la carte {k} ({v}), trouvée en ({i}, {j}). L'endroit n'est pas gardé : seulement que la caractéristique a été trouvée, et avec quelle force.</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="354" />
        <source>This is the logit of class {c}; the softmax in the left panel turns the logits into probabilities.</source>
        <translation>C'est le logit de la classe {c} ; le softmax du panneau de gauche transforme les logits en probabilités.</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="358" />
        <source>{name} ({cls}), value {k} = {v}</source>
        <translation>{name} ({cls}), valeur {k} = {v}</translation>
    </message>
</context>
<context>
    <name>ChangeTable</name>
    <message>
        <location filename="../widgets/net_invariance.py" line="73" />
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="92" />
        <source>values changed</source>
        <translation>valeurs changées</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="97" />
        <source>size of the change</source>
        <translation>taille du changement</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="99" />
        <source>where</source>
        <translation>où</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="110" />
        <source>input image</source>
        <translation>image d'entrée</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="129" />
        <source>{n} / {t} ({s:.0%})</source>
        <translation>{n} / {t} ({s:.0%})</translation>
    </message>
</context>
<context>
    <name>ColourLegend</name>
    <message>
        <location filename="../widgets/net_overview_canvas.py" line="494" />
        <source>each column: its own max, written under it</source>
        <translation>chaque colonne : son propre max, écrit dessous</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview_canvas.py" line="497" />
        <source>one scale for every column</source>
        <translation>une seule échelle pour toutes les colonnes</translation>
    </message>
</context>
<context>
    <name>CurvesPanel</name>
    <message>
        <location filename="../widgets/train_plots.py" line="109" />
        <source>earlier runs</source>
        <translation>essais précédents</translation>
    </message>
</context>
<context>
    <name>FeatureMapView</name>
    <message>
        <location filename="../widgets/net_featuremaps.py" line="97" />
        <source>{i}. {name} (Flatten): a vector of {n} values, read position by position: all the channels of pixel (0, 0), then of (0, 1)... (NHWC order, not map after map)</source>
        <translation>{i}. {name} (Flatten) : un vecteur de {n} valeurs, lues position par position : tous les canaux du pixel (0, 0), puis ceux de (0, 1)… (ordre NHWC, et non carte après carte)</translation>
    </message>
</context>
<context>
    <name>FlattenOrder</name>
    <message>
        <location filename="../widgets/net_flatten_pictures.py" line="55" />
        <source>Example: 3 maps of 2x2</source>
        <translation>Exemple : 3 cartes de 2 × 2</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten_pictures.py" line="68" />
        <source>Flatten (NHWC) gives, position by position:</source>
        <translation>Flatten (NHWC) donne, position par position :</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten_pictures.py" line="81" />
        <source>not map after map (a1 a2 a3 a4 b1 ...)</source>
        <translation>et non carte après carte (a1 a2 a3 a4 b1 …)</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten_pictures.py" line="88" />
        <source>This image: {p} rows (positions) x {c} columns (channels)</source>
        <translation>Cette image : {p} lignes (positions) × {c} colonnes (canaux)</translation>
    </message>
</context>
<context>
    <name>FlattenView</name>
    <message>
        <location filename="../widgets/net_flatten.py" line="197" />
        <source>{n:+d} px</source>
        <translation>{n:+d} px</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="263" />
        <source>The base gives {h}x{w}x{c} maps; Flatten makes a vector of &lt;b&gt;{d}&lt;/b&gt; values ({h}·{w}·{c}).</source>
        <translation>La base donne des cartes {h} × {w} × {c} ; Flatten en fait un vecteur de &lt;b&gt;{d}&lt;/b&gt; valeurs ({h}·{w}·{c}).</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="270" />
        <source>The base gives {h}x{w}x{c} maps; GlobalMaxPooling keeps &lt;b&gt;{d}&lt;/b&gt; values, one per map.</source>
        <translation>La base donne des cartes {h} × {w} × {c} ; GlobalMaxPooling garde &lt;b&gt;{d}&lt;/b&gt; valeurs, une par carte.</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="277" />
        <source>Head: {head} weights; whole network: &lt;b&gt;{t}&lt;/b&gt; parameters (base {b}).</source>
        <translation>Tête : {head} poids ; réseau entier : &lt;b&gt;{t}&lt;/b&gt; paramètres (base {b}).</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="289" />
        <source>&lt;b&gt;Refused at {n}x{n}&lt;/b&gt; by {layer}: {msg}</source>
        <translation>&lt;b&gt;Refusé en {n} × {n}&lt;/b&gt; par {layer} : {msg}</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="294" />
        <source>At {n}x{n} Flatten makes {d} values, but the Dense layer was built for {e}: its weight matrix fixes the image size.</source>
        <translation>En {n} × {n}, Flatten donne {d} valeurs, mais la couche Dense a été construite pour {e} : sa matrice de poids fixe la taille de l'image.</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="302" />
        <source>At {n}x{n}: runs, prediction &lt;b&gt;{c}&lt;/b&gt; ({p:.0%}).</source>
        <translation>En {n} × {n} : fonctionne, prédiction &lt;b&gt;{c}&lt;/b&gt; ({p:.0%}).</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="309" />
        <source>Move the image with the shift slider to compare the two vectors.</source>
        <translation>Déplacez l'image avec le curseur de décalage pour comparer les deux vecteurs.</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="319" />
        <source>Shifted {dx:+d} px: {s:.0%} of the vector's values change, by {r:.0%} in size.</source>
        <translation>Décalée de {dx:+d} px : {s:.0%} des valeurs du vecteur changent, de {r:.0%} en taille.</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="329" />
        <source>Not trained yet: press Train both.</source>
        <translation>Pas encore entraîné : cliquez sur « Entraîner les deux ».</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="365" />
        <source>Flatten is ahead by {d:.1f} points, more than twice the sampling noise (±{s:.1f}): with images of a fixed size it did better here, as the lesson says; its head can use where each feature is, with far more weights.</source>
        <translation>Flatten a {d:.1f} points d'avance, plus de deux fois le bruit d'échantillonnage (±{s:.1f}) : avec des images de taille fixe, il a fait mieux ici, comme le dit la leçon ; sa tête peut se servir de l'endroit où se trouve chaque caractéristique, avec bien plus de poids.</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="373" />
        <source>GlobalMaxPooling is ahead by {d:.1f} points (noise ±{s:.1f}), against the lesson's rule of thumb for this run.</source>
        <translation>GlobalMaxPooling a {d:.1f} points d'avance (bruit ±{s:.1f}) : pour cet essai, c'est le contraire de ce que la leçon annonce.</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="380" />
        <source>The difference ({d:+.1f} points) is within twice the sampling noise (±{s:.1f}): this run does not tell the two heads apart.</source>
        <translation>L'écart ({d:+.1f} points) reste sous deux fois le bruit d'échantillonnage (±{s:.1f}) : cet essai ne permet pas de départager les deux têtes.</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="386" />
        <source>The times are close because the shared base does most of the work. One run, one seed, a short training: change the epochs or the seed to see how much it varies.</source>
        <translation>Les temps sont proches car la base commune fait l'essentiel du travail. Un seul essai, une seule graine, un entraînement court : changez le nombre d'époques ou la graine pour voir combien cela varie.</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="405" />
        <source>Flatten or GlobalMaxPooling: from maps to a vector</source>
        <translation>Flatten ou GlobalMaxPooling : des cartes à un vecteur</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="408" />
        <source>The base gives maps (height x width x channels); the dense head wants a vector. Flatten keeps every value, so the head needs a fixed image size; GlobalMaxPooling keeps each map's largest value, whatever the size, but forgets where features were.</source>
        <translation>La base donne des cartes (hauteur × largeur × canaux) ; la tête dense attend un vecteur. Flatten garde toutes les valeurs, donc la tête exige une taille d'image fixe ; GlobalMaxPooling garde la plus grande valeur de chaque carte, quelle que soit la taille, mais oublie où se trouvaient les caractéristiques.</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="413" />
        <source>Flatten head (the lesson's network)</source>
        <translation>Tête Flatten (le réseau de la leçon)</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="414" />
        <source>GlobalMaxPooling2D head</source>
        <translation>Tête GlobalMaxPooling2D</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="415" />
        <source>Input size</source>
        <translation>Taille de l'entrée</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="416" />
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="418" />
        <source>The image is centred on a black square of this size (the digit keeps its size).</source>
        <translation>L'image est centrée sur un carré noir de cette taille (le chiffre garde sa taille).</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="420" />
        <source>Shift</source>
        <translation>Décalage</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="422" />
        <source>Train both</source>
        <translation>Entraîner les deux</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" line="423" />
        <source>epochs</source>
        <translation>époques</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" />
        <source>&lt;b&gt;{a:.1%}&lt;/b&gt; validation accuracy after 1 epoch; training took {s:.1f} s.</source>
        <translation>&lt;b&gt;{a:.1%}&lt;/b&gt; d'exactitude (accuracy) en validation après 1 époque ; l'entraînement a pris {s:.1f} s.</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" />
        <source>&lt;b&gt;{a:.1%}&lt;/b&gt; validation accuracy after {e} epochs; training took {s:.1f} s.</source>
        <translation>&lt;b&gt;{a:.1%}&lt;/b&gt; d'exactitude (accuracy) en validation après {e} époques ; l'entraînement a pris {s:.1f} s.</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" />
        <source>Measured here: 1 epoch on the same {n} images in the same order, both bases starting from the same weights; accuracy on {v} validation images: Flatten {af:.1%} in {tf:.1f} s, GlobalMaxPooling {ag:.1%} in {tg:.1f} s.</source>
        <translation>Mesuré ici : 1 époque sur les mêmes {n} images dans le même ordre, les deux bases partant des mêmes poids ; exactitude sur {v} images de validation : Flatten {af:.1%} en {tf:.1f} s, GlobalMaxPooling {ag:.1%} en {tg:.1f} s.</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten.py" />
        <source>Measured here: {e} epochs on the same {n} images in the same order, both bases starting from the same weights; accuracy on {v} validation images: Flatten {af:.1%} in {tf:.1f} s, GlobalMaxPooling {ag:.1%} in {tg:.1f} s.</source>
        <translation>Mesuré ici : {e} époques sur les mêmes {n} images dans le même ordre, les deux bases partant des mêmes poids ; exactitude sur {v} images de validation : Flatten {af:.1%} en {tf:.1f} s, GlobalMaxPooling {ag:.1%} en {tg:.1f} s.</translation>
    </message>
</context>
<context>
    <name>GmpVector</name>
    <message>
        <location filename="../widgets/net_flatten_pictures.py" line="136" />
        <source>Three of the {c} maps, their maximum circled:</source>
        <translation>Trois des {c} cartes, leur maximum entouré :</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten_pictures.py" line="154" />
        <source>map {k}</source>
        <translation>carte {k}</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten_pictures.py" line="160" />
        <source>GlobalMaxPooling keeps [{v}] (the lesson's [1, 0, 1])</source>
        <translation>GlobalMaxPooling garde [{v}] (le [1, 0, 1] de la leçon)</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten_pictures.py" line="169" />
        <source>which features were found (large) or not (near 0), and no longer where.</source>
        <translation>quelles caractéristiques ont été trouvées (grande valeur) ou non (proche de 0), mais plus où.</translation>
    </message>
    <message>
        <location filename="../widgets/net_flatten_pictures.py" line="173" />
        <source>The whole vector ({c} values):</source>
        <translation>Le vecteur entier ({c} valeurs) :</translation>
    </message>
</context>
<context>
    <name>HierarchyView</name>
    <message>
        <location filename="../widgets/net_hierarchy.py" line="241" />
        <source>This network has no conv layer: nothing here detects shapes.</source>
        <translation>Ce réseau n'a pas de couche de convolution : rien ici ne détecte de formes.</translation>
    </message>
    <message>
        <location filename="../widgets/net_hierarchy.py" line="249" />
        <source>&lt;b&gt;{name}&lt;/b&gt;: one cell sees &lt;b&gt;{h}x{w}&lt;/b&gt; pixels of the input (neighbouring cells start {j} px apart). Each row: a channel's filter (blue: negative, red: positive weights; one square per input channel), then the 9 patches of the {n} validation images that excite it most, with the activation; blue-grey: outside the image.</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; : une case voit &lt;b&gt;{h} × {w}&lt;/b&gt; pixels de l'entrée (deux cases voisines commencent à {j} px d'écart). Chaque ligne : le filtre d'un canal (bleu : poids négatifs, rouge : positifs ; un carré par canal d'entrée), puis les 9 morceaux des {n} images de validation qui l'activent le plus, avec l'activation ; gris-bleu : hors de l'image.</translation>
    </message>
    <message>
        <location filename="../widgets/net_hierarchy.py" line="269" />
        <source>What each layer detects: lines, then parts, then objects</source>
        <translation>Ce que détecte chaque couche : des traits, puis des parties, puis des objets</translation>
    </message>
    <message>
        <location filename="../widgets/net_hierarchy.py" line="272" />
        <source>The lesson: the first conv layer detects simple shapes (lines, curves), the next ones combinations of them. The filters stay small, but each layer sees a larger part of the image: compare the patch sizes from one layer to the next.</source>
        <translation>La leçon : la première couche de convolution détecte des formes simples (traits, courbes), les suivantes des associations de ces formes. Les filtres restent petits, mais chaque couche voit une plus grande partie de l'image : comparez la taille des morceaux d'une couche à l'autre.</translation>
    </message>
</context>
<context>
    <name>InputPanel</name>
    <message>
        <location filename="../widgets/net_input.py" line="104" />
        <source>Input</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <location filename="../widgets/net_input.py" line="105" />
        <source>Validation image</source>
        <translation>Image de validation</translation>
    </message>
    <message>
        <location filename="../widgets/net_input.py" line="106" />
        <source>Open image...</source>
        <translation>Ouvrir une image…</translation>
    </message>
    <message>
        <location filename="../widgets/net_input.py" line="107" />
        <source>Draw...</source>
        <translation>Dessiner…</translation>
    </message>
    <message>
        <location filename="../widgets/net_input.py" line="108" />
        <source>The network's answer (softmax)</source>
        <translation>La réponse du réseau (softmax)</translation>
    </message>
    <message>
        <location filename="../widgets/net_input.py" line="109" />
        <source>Show the arithmetic</source>
        <translation>Montrer le calcul</translation>
    </message>
    <message>
        <location filename="../widgets/net_input.py" line="112" />
        <source>The last layer gives one score per class (the logits z). Softmax turns them into probabilities: exp(z) of each, divided by their sum, so that they add up to 100 %.</source>
        <translation>La dernière couche donne un score par classe (les logits z). Softmax les transforme en probabilités : exp(z) de chacun, divisé par leur somme, pour que le total fasse 100 %.</translation>
    </message>
    <message>
        <location filename="../widgets/net_input.py" line="116" />
        <source>Click a class to see what speaks for it (Look view).</source>
        <translation>Cliquez sur une classe pour voir ce qui plaide pour elle (vue Regard).</translation>
    </message>
</context>
<context>
    <name>InvarianceView</name>
    <message>
        <location filename="../widgets/net_invariance.py" line="378" />
        <source>{n} px right</source>
        <translation>{n} px à droite</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="378" />
        <source>{n} px left</source>
        <translation>{n} px à gauche</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="382" />
        <source>{n} px down</source>
        <translation>{n} px vers le bas</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="382" />
        <source>{n} px up</source>
        <translation>{n} px vers le haut</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="384" />
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="386" />
        <source>Shift: &lt;b&gt;{w}&lt;/b&gt; (arrows, up to {m} px each way; 0 puts it back)</source>
        <translation>Décalage : &lt;b&gt;{w}&lt;/b&gt; (flèches, jusqu'à {m} px dans chaque sens ; 0 la remet en place)</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="417" />
        <source>One image tells a story; the validation set tells the trend: measure the accuracy at each shift.</source>
        <translation>Une image raconte une histoire ; l'ensemble de validation montre la tendance : mesurez l'exactitude à chaque décalage.</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="435" />
        <source>Measuring on {n} validation images...</source>
        <translation>Mesure sur {n} images de validation…</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="459" />
        <source>Dashed: accuracy on the {n} validation images, all shifted alike: {a:.0%} unshifted, {r:.0%} at {m} px right, {d:.0%} at {m} px down, {l:.0%} at {m} px left.</source>
        <translation>En pointillés : l'exactitude sur les {n} images de validation, toutes décalées de même : {a:.0%} sans décalage, {r:.0%} à {m} px à droite, {d:.0%} à {m} px vers le bas, {l:.0%} à {m} px à gauche.</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="483" />
        <source>Prediction: &lt;b&gt;{a}&lt;/b&gt; ({pa:.0%}) unshifted, &lt;b&gt;{b}&lt;/b&gt; ({pb:.0%}) shifted; p({c}) = {pc:.0%}.</source>
        <translation>Prédiction : &lt;b&gt;{a}&lt;/b&gt; ({pa:.0%}) sans décalage, &lt;b&gt;{b}&lt;/b&gt; ({pb:.0%}) décalée ; p({c}) = {pc:.0%}.</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="504" />
        <source>Translation invariance: does the answer survive a shift?</source>
        <translation>Invariance par translation : la réponse résiste-t-elle à un décalage ?</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="507" />
        <source>The lesson: pooling removes part of the position information, so a CNN tends not to tell features apart by where they are. Move the image a few pixels and compare each layer's output with the unshifted one.</source>
        <translation>La leçon : le pooling supprime une partie de l'information de position, si bien qu'un CNN a tendance à ne pas distinguer les caractéristiques par leur emplacement. Déplacez l'image de quelques pixels et comparez la sortie de chaque couche à celle sans décalage.</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="512" />
        <source>Original</source>
        <translation>Originale</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="513" />
        <source>Shifted</source>
        <translation>Décalée</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="516" />
        <source>Read both columns: &lt;b&gt;values changed&lt;/b&gt; counts the values that differ at all; &lt;b&gt;size of the change&lt;/b&gt; says by how much (‖shifted − original‖ / ‖original‖). Pooling does not make fewer values change (each pooled value depends on more pixels, so more of them move a little) but it makes the change smaller; 'where' shows the difference summed over the maps.</source>
        <translation>Lisez les deux colonnes : &lt;b&gt;valeurs changées&lt;/b&gt; compte les valeurs qui diffèrent, même peu ; &lt;b&gt;taille du changement&lt;/b&gt; dit de combien (‖décalée − originale‖ / ‖originale‖). Le pooling ne fait pas changer moins de valeurs (chaque valeur après pooling dépend de plus de pixels, donc davantage bougent un peu), mais il rend le changement plus petit ; « où » montre la différence additionnée sur les cartes.</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="526" />
        <source>Accuracy against the shift</source>
        <translation>Exactitude selon le décalage</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="528" />
        <source>Shift every validation image by -4..4 px and measure the accuracy at each shift</source>
        <translation>Décaler chaque image de validation de -4 à 4 px et mesurer l'exactitude à chaque décalage</translation>
    </message>
</context>
<context>
    <name>LookView</name>
    <message>
        <location filename="../widgets/net_look.py" line="193" />
        <source>last conv ({name})</source>
        <translation>dernière conv. ({name})</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="235" />
        <source>Explaining class &lt;b&gt;{c}&lt;/b&gt;, the predicted class ({p:.0%}).</source>
        <translation>Explication de la classe &lt;b&gt;{c}&lt;/b&gt;, la classe prédite ({p:.0%}).</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="240" />
        <source>Explaining class &lt;b&gt;{c}&lt;/b&gt; ({p:.0%}), your choice; the network predicts {q}.</source>
        <translation>Explication de la classe &lt;b&gt;{c}&lt;/b&gt; ({p:.0%}), votre choix ; le réseau prédit {q}.</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="246" />
        <source>Bright where changing a pixel would change the score of {c} most (largest: {m:.3g}).</source>
        <translation>Clair là où changer un pixel changerait le plus le score de {c} (au plus : {m:.3g}).</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="253" />
        <source>&lt;b&gt;Empty:&lt;/b&gt; at {layer} ({h}x{w}) no region speaks for {c}: the maps weighted by their mean gradient sum to less than zero everywhere. Behind Flatten every position has its own weights, so the averaged gradients are often negative; try an earlier conv layer or the lesson's network (its last conv is 7x7).</source>
        <translation>&lt;b&gt;Vide :&lt;/b&gt; en {layer} ({h} × {w}), aucune région ne plaide pour {c} : les cartes pondérées par leur gradient moyen ont une somme négative partout. Derrière Flatten, chaque position a ses propres poids, si bien que les gradients moyennés sont souvent négatifs ; essayez une couche de convolution plus tôt ou le réseau de la leçon (sa dernière convolution est en 7 × 7).</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="262" />
        <source>The maps of {layer} ({h}x{w}) weighted by how much they raise the score of {c}, enlarged to the image.</source>
        <translation>Les cartes de {layer} ({h} × {w}) pondérées par leur contribution au score de {c}, agrandies à la taille de l'image.</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="269" />
        <source>Red: hiding a {k}x{k} square there lowers p({c}) (by up to {d:.0%}); blue: hiding it raises p({c}).</source>
        <translation>Rouge : cacher un carré de {k} × {k} à cet endroit fait baisser p({c}) (jusqu'à {d:.0%}) ; bleu : le cacher fait monter p({c}).</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="298" />
        <source>What the network looks at</source>
        <translation>Ce que le réseau regarde</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="301" />
        <source>Three ways to ask which pixels drove the answer: the gradient of the class score (saliency), the last conv layer's maps weighted by that gradient (Grad-CAM), and hiding one square at a time (occlusion). Click a class in the probability bars to explain it.</source>
        <translation>Trois façons de demander quels pixels ont décidé de la réponse : le gradient du score de la classe (saillance), les cartes de la dernière couche de convolution pondérées par ce gradient (Grad-CAM), et cacher un carré à la fois (occlusion). Cliquez sur une classe dans les barres de probabilité pour l'expliquer.</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="306" />
        <source>Back to the predicted class</source>
        <translation>Revenir à la classe prédite</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="307" />
        <source>Saliency (gradient)</source>
        <translation>Saillance (gradient)</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="308" />
        <source>Grad-CAM</source>
        <translation>Grad-CAM</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="309" />
        <source>Occlusion</source>
        <translation>Occlusion</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="310" />
        <source>Opacity</source>
        <translation>Opacité</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="311" />
        <source>Layer</source>
        <translation>Couche</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="312" />
        <source>Square</source>
        <translation>Carré</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="313" />
        <source>Side of the square hidden at each position</source>
        <translation>Côté du carré caché à chaque position</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="314" />
        <source>Distance between two positions of the square</source>
        <translation>Distance entre deux positions du carré</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="315" />
        <source>every</source>
        <translation>tous les</translation>
    </message>
    <message>
        <location filename="../widgets/net_look.py" line="316" />
        <source> px</source>
        <translation> px</translation>
    </message>
</context>
<context>
    <name>MapDetailDialog</name>
    <message>
        <location filename="../widgets/net_detail.py" line="200" />
        <source>Cell ({i}, {j}) = {v}</source>
        <translation>Case ({i}, {j}) = {v}</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="233" />
        <source>The map split by input channel: each input map slid under its slice gives a partial map (blue &lt; 0 &lt; red); their sum plus the bias is the map before {act}.</source>
        <translation>La carte décomposée par canal d'entrée : chaque carte d'entrée, parcourue par sa tranche du filtre, donne une carte partielle (bleu &lt; 0 &lt; rouge) ; leur somme plus le biais est la carte avant {act}.</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="235" />
        <source>its activation</source>
        <translation>son activation</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="250" />
        <source>Computing the partial maps...</source>
        <translation>Calcul des cartes partielles…</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="266" />
        <source>from {c}</source>
        <translation>de {c}</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="275" />
        <source>Σ of the {n} partial maps</source>
        <translation>Σ des {n} cartes partielles</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="277" />
        <source>+ bias {b:+.3f} =</source>
        <translation>+ biais {b:+.3f} =</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="278" />
        <source>before the activation</source>
        <translation>avant l'activation</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="282" />
        <source>the map</source>
        <translation>la carte</translation>
    </message>
    <message>
        <location filename="../widgets/net_detail.py" line="307" />
        <source>Check: the activation of (Σ + bias) equals the layer's map to within {e:.1e}.</source>
        <translation>Vérification : l'activation de (Σ + biais) est égale à la carte de la couche à {e:.1e} près.</translation>
    </message>
</context>
<context>
    <name>NetworkTab</name>
    <message>
        <location filename="../tabs/network.py" line="411" />
        <source>Architecture</source>
        <translation>Architecture</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="412" />
        <source>Choose, generate or edit the layers, then Build</source>
        <translation>Choisissez, générez ou modifiez les couches, puis Construire</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="414" />
        <source>Maps</source>
        <translation>Cartes</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="414" />
        <source>Every layer's output for the image, top to bottom</source>
        <translation>La sortie de chaque couche pour l'image, de haut en bas</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="416" />
        <source>Overview</source>
        <translation>Vue d'ensemble</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="417" />
        <source>The layers as columns; hover a cell to see what it depends on</source>
        <translation>Les couches en colonnes ; survolez une case pour voir de quoi elle dépend</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="420" />
        <source>Look</source>
        <translation>Regard</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="421" />
        <source>What the network looks at: saliency, Grad-CAM, occlusion</source>
        <translation>Ce que le réseau regarde : saillance, Grad-CAM, occlusion</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="423" />
        <source>Invariance</source>
        <translation>Invariance</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="423" />
        <source>Shift the image: what changes, layer by layer</source>
        <translation>Décalez l'image : ce qui change, couche par couche</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="425" />
        <source>Flatten / GMP</source>
        <translation>Flatten / GMP</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="426" />
        <source>Flatten vs GlobalMaxPooling: one base, two heads</source>
        <translation>Flatten ou GlobalMaxPooling : une base, deux têtes</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="429" />
        <source>Layers</source>
        <translation>Couches</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" line="430" />
        <source>What each layer detects: lines, then parts, then objects</source>
        <translation>Ce que détecte chaque couche : des traits, puis des parties, puis des objets</translation>
    </message>
    <message>
        <location filename="../tabs/network.py" />
        <source>Input</source>
        <translation>Entrée</translation>
    </message>
</context>
<context>
    <name>OverviewCanvas</name>
    <message>
        <location filename="../widgets/net_overview_canvas.py" line="379" />
        <source>+{n} more</source>
        <translation>+{n} de plus</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview_canvas.py" line="397" />
        <source>input</source>
        <translation>entrée</translation>
    </message>
</context>
<context>
    <name>OverviewView</name>
    <message>
        <location filename="../widgets/net_overview.py" line="139" />
        <source>the input</source>
        <translation>l'entrée</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="145" />
        <source>Hover a cell to light up every cell it depends on, down to the input pixels; click it to see its arithmetic.</source>
        <translation>Survolez une case pour éclairer toutes les cases dont elle dépend, jusqu'aux pixels de l'entrée ; cliquez dessus pour voir son calcul.</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="155" />
        <source>{name}, map {c}, cell ({i}, {j}) = {v:.3g}</source>
        <translation>{name}, carte {c}, case ({i}, {j}) = {v:.3g}</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="160" />
        <source>{name}, value {k} = {v:.3g}</source>
        <translation>{name}, valeur {k} = {v:.3g}</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="170" />
        <source>all {n} maps</source>
        <translation>toutes les {n} cartes</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="172" />
        <source>map {c}</source>
        <translation>la carte {c}</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="174" />
        <source>{n} maps</source>
        <translation>{n} cartes</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="178" />
        <source>input pixels rows {t}-{b}, columns {l}-{r} ({h}x{w})</source>
        <translation>les pixels de l'entrée lignes {t} à {b}, colonnes {l} à {r} ({h} × {w})</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="184" />
        <source>{name}: {h}x{w} cells of {maps}</source>
        <translation>{name} : {h} × {w} cases de {maps}</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="189" />
        <source>{name}: {n} values</source>
        <translation>{name} : {n} valeurs</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="190" />
        <source>depends on</source>
        <translation>dépend de</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="191" />
        <source>Click for the arithmetic.</source>
        <translation>Cliquez pour voir le calcul.</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="201" />
        <source>Network overview: the convolutional base, then the dense head</source>
        <translation>Vue d'ensemble du réseau : la base convolutionnelle, puis la tête dense</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="204" />
        <source>Each column is a layer, from the input image (left) to the class scores (right): the maps shrink through pooling while their number grows, then Flatten (or a global pooling) hands a vector to the dense layers that classify.</source>
        <translation>Chaque colonne est une couche, de l'image d'entrée (à gauche) aux scores des classes (à droite) : les cartes rétrécissent au fil des poolings tandis que leur nombre augmente, puis Flatten (ou un pooling global) passe un vecteur aux couches denses qui classent.</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="209" />
        <source>Colours:</source>
        <translation>Couleurs :</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="210" />
        <source>one scale per layer</source>
        <translation>une échelle par couche</translation>
    </message>
    <message>
        <location filename="../widgets/net_overview.py" line="211" />
        <source>one scale for all</source>
        <translation>une seule échelle</translation>
    </message>
</context>
<context>
    <name>PatchRows</name>
    <message>
        <location filename="../widgets/net_hierarchy.py" line="130" />
        <source>Never active on these images: after ReLU this channel is 0 everywhere (a dead filter).</source>
        <translation>Jamais actif sur ces images : après ReLU, ce canal vaut 0 partout (un filtre mort).</translation>
    </message>
</context>
<context>
    <name>ShiftCurve</name>
    <message>
        <location filename="../widgets/net_invariance.py" line="215" />
        <source>shift (px): left/up &lt; 0 &lt; right/down</source>
        <translation>décalage (px) : gauche/haut &lt; 0 &lt; droite/bas</translation>
    </message>
    <message>
        <location filename="../widgets/net_invariance.py" line="222" />
        <source>p({c}) against the shift: horizontal (blue), vertical (orange)</source>
        <translation>p({c}) selon le décalage : horizontal (bleu), vertical (orange)</translation>
    </message>
</context>
<context>
    <name>SoftmaxPanel</name>
    <message>
        <location filename="../widgets/net_softmax.py" line="102" />
        <source>sum of the {e}: Σ = {t}</source>
        <translation>somme des {e} : Σ = {t}</translation>
    </message>
    <message>
        <location filename="../widgets/net_softmax.py" line="103" />
        <source>p({c}) = {v} / {t} = {p:.1%}</source>
        <translation>p({c}) = {v} / {t} = {p:.1%}</translation>
    </message>
    <message>
        <location filename="../widgets/net_softmax.py" line="124" />
        <source>class</source>
        <translation>classe</translation>
    </message>
    <message>
        <location filename="../widgets/net_softmax.py" line="158" />
        <source>logit z</source>
        <translation>logit z</translation>
    </message>
    <message>
        <location filename="../widgets/net_softmax.py" line="165" />
        <source>p = exp / Σ</source>
        <translation>p = exp / Σ</translation>
    </message>
</context>
<context>
    <name>TrainBanner</name>
    <message>
        <location filename="../widgets/net_view.py" line="185" />
        <source>Train it now (1 epoch)</source>
        <translation>L'entraîner maintenant (1 époque)</translation>
    </message>
    <message>
        <location filename="../widgets/net_view.py" line="187" />
        <source>Training the network for one epoch in the engine thread...</source>
        <translation>Entraînement du réseau pendant une époque dans le fil du moteur…</translation>
    </message>
    <message>
        <location filename="../widgets/net_view.py" line="191" />
        <source>This network is untrained: its filters are random, so what this view shows means nothing yet. Train it (a few seconds) or use the Training tab.</source>
        <translation>Ce réseau n'est pas entraîné : ses filtres sont aléatoires, ce que montre cette vue n'a donc pas encore de sens. Entraînez-le (quelques secondes) ou utilisez l'onglet Entraînement.</translation>
    </message>
</context>
<context>
    <name>TrainingAlert</name>
    <message>
        <location filename="../widgets/train_guard.py" line="93" />
        <source>Diverging: at batch {step} the loss is {loss:.3g}, more than 10 times its start ({start:.3g}). The learning rate ({lr:g}) is too high: try {lower:g}, then Reset weights.</source>
        <translation>Divergence : au lot {step}, la perte (loss) vaut {loss:.3g}, plus de 10 fois sa valeur de départ ({start:.3g}). Le taux d'apprentissage ({lr:g}) est trop élevé : essayez {lower:g}, puis Réinitialiser les poids.</translation>
    </message>
    <message>
        <location filename="../widgets/train_guard.py" line="101" />
        <source>All of epoch {e} at chance ({acc:.0%}; the most frequent class alone gives {chance:.0%}): after diverging, the network answers one class whatever the image. Lower the learning rate (e.g. {lower:g}) and Reset weights.</source>
        <translation>Toute l'époque {e} au niveau du hasard ({acc:.0%} ; la classe la plus fréquente seule donne {chance:.0%}) : après avoir divergé, le réseau répond une seule classe quelle que soit l'image. Baissez le taux d'apprentissage (par exemple {lower:g}) et réinitialisez les poids.</translation>
    </message>
    <message>
        <location filename="../widgets/train_guard.py" line="109" />
        <source>All of epoch {e} at chance ({acc:.0%}; the most frequent class alone gives {chance:.0%}) and the loss is not falling: the network is not learning. A learning rate too high often does this: try {lower:g}; if the loss barely moves, it may be too low instead.</source>
        <translation>Toute l'époque {e} au niveau du hasard ({acc:.0%} ; la classe la plus fréquente seule donne {chance:.0%}) et la perte ne baisse pas : le réseau n'apprend pas. Un taux d'apprentissage trop élevé fait souvent cela : essayez {lower:g} ; si la perte bouge à peine, il est peut-être au contraire trop faible.</translation>
    </message>
</context>
</TS>
