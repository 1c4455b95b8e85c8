<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="fr_FR">
<context>
    <name>CalcPanel</name>
    <message>
        <location filename="../widgets/calc_panel.py" line="90" />
        <source>Press &lt;b&gt;Step forward&lt;/b&gt; (Right arrow) or &lt;b&gt;Play&lt;/b&gt; (Space) to slide the filter over the image.</source>
        <translation>Appuyez sur &lt;b&gt;Pas suivant&lt;/b&gt; (flèche droite) ou &lt;b&gt;Lecture&lt;/b&gt; (Espace) pour faire glisser le filtre sur l'image.</translation>
    </message>
    <message>
        <location filename="../widgets/calc_panel.py" line="107" />
        <source>Window on the input</source>
        <translation>Fenêtre sur l'entrée</translation>
    </message>
    <message>
        <location filename="../widgets/calc_panel.py" line="108" />
        <source>Filter (rotated 180°)</source>
        <translation>Filtre (tourné de 180°)</translation>
    </message>
    <message>
        <location filename="../widgets/calc_panel.py" line="108" />
        <source>Filter</source>
        <translation>Filtre</translation>
    </message>
    <message>
        <location filename="../widgets/calc_panel.py" line="109" />
        <source>Products</source>
        <translation>Produits</translation>
    </message>
    <message>
        <location filename="../widgets/calc_panel.py" line="112" />
        <source>Calculation of one output cell</source>
        <translation>Calcul d'une case de sortie</translation>
    </message>
    <message>
        <location filename="../widgets/calc_panel.py" line="114" />
        <source>Output cell ({0}, {1}) = sum of the products = {2}</source>
        <translation>Case de sortie ({0}, {1}) = somme des produits = {2}</translation>
    </message>
</context>
<context>
    <name>ConvControls</name>
    <message>
        <location filename="../widgets/conv_controls.py" line="187" />
        <source>Handwritten digit (28 x 28)</source>
        <translation>Chiffre manuscrit (28 x 28)</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="187" />
        <source>Cross (9 x 9)</source>
        <translation>Croix (9 x 9)</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="188" />
        <source>Horizontal line (3 x 3, lesson)</source>
        <translation>Trait horizontal (3 x 3, cours)</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="188" />
        <source>Checkerboard (12 x 12)</source>
        <translation>Damier (12 x 12)</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="189" />
        <source>Photo: camera man</source>
        <translation>Photo : le caméraman</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="189" />
        <source>Photo: astronaut</source>
        <translation>Photo : astronaute</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="190" />
        <source>Photo: Chelsea the cat</source>
        <translation>Photo : Chelsea le chat</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="190" />
        <source>Photo: coffee cup</source>
        <translation>Photo : tasse de café</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="204" />
        <source>Your image</source>
        <translation>Votre image</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="206" />
        <source>Luminance (grey)</source>
        <translation>Luminance (gris)</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="206" />
        <source>Red channel</source>
        <translation>Canal rouge</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="206" />
        <source>Green channel</source>
        <translation>Canal vert</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="206" />
        <source>Blue channel</source>
        <translation>Canal bleu</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="208" />
        <source>valid (no zeros)</source>
        <translation>valid (aucun zéro)</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="208" />
        <source>same (keeps N)</source>
        <translation>same (garde N)</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="208" />
        <source>full (K - 1 zeros)</source>
        <translation>full (K - 1 zéros)</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="209" />
        <source>custom P</source>
        <translation>P au choix</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="211" />
        <source>valid: no padding, the output shrinks to N - K + 1. same: enough zeros to keep the size N. full: K - 1 zeros on each side, the output grows to N + K - 1. custom: P zeros on each side.</source>
        <translation>valid : pas de bourrage, la sortie rétrécit à N - K + 1. same : assez de zéros pour garder la taille N. full : K - 1 zéros de chaque côté, la sortie grandit à N + K - 1. P au choix : P zéros de chaque côté.</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="214" />
        <source>max</source>
        <translation>max</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="214" />
        <source>min</source>
        <translation>min</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="214" />
        <source>average</source>
        <translation>moyenne</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="215" />
        <source>1. Input image</source>
        <translation>1. Image d'entrée</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="216" />
        <source>2. Filter</source>
        <translation>2. Filtre</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="217" />
        <source>3. Convolution</source>
        <translation>3. Convolution</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="218" />
        <source>4. Pooling (after ReLU)</source>
        <translation>4. Pooling (après ReLU)</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="219" />
        <source>Open image...</source>
        <translation>Ouvrir une image...</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="220" />
        <source>PNG, JPEG, BMP, TIFF... You can also drop a file on the window.</source>
        <translation>PNG, JPEG, BMP, TIFF... Vous pouvez aussi déposer un fichier sur la fenêtre.</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="221" />
        <source>Colour images: step through the luminance or one colour channel</source>
        <translation>Images en couleur : parcourir la luminance ou un seul canal de couleur</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="222" />
        <source>Flip the filter (true convolution)</source>
        <translation>Retourner le filtre (vraie convolution)</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="223" />
        <source>Unchecked: cross-correlation, what CNN libraries compute. Checked: the filter is rotated 180° first, as in the lesson's formula.</source>
        <translation>Décoché : corrélation croisée, ce que calculent les bibliothèques de CNN. Coché : le filtre est d'abord tourné de 180°, comme dans la formule du cours.</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="225" />
        <source>Custom padding P (zeros on each side)</source>
        <translation>Bourrage P au choix (zéros de chaque côté)</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="226" />
        <source>Sample</source>
        <translation>Exemple</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="227" />
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="228" />
        <source>Padding</source>
        <translation>Bourrage</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="229" />
        <source>Stride s</source>
        <translation>Pas s</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="230" />
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="231" />
        <source>Window</source>
        <translation>Fenêtre</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="232" />
        <source>Stride</source>
        <translation>Pas</translation>
    </message>
</context>
<context>
    <name>ConvolutionTab</name>
    <message>
        <location filename="../tabs/convolution.py" line="99" />
        <source>Convolution</source>
        <translation>Convolution</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="125" />
        <source>Cannot load the sample: {0}</source>
        <translation>Impossible de charger l'exemple : {0}</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="142" />
        <source>Cannot open the image: {0}</source>
        <translation>Impossible d'ouvrir l'image : {0}</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="159" />
        <source>Cannot load the filter: {0}</source>
        <translation>Impossible de charger le filtre : {0}</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="161" />
        <source>Filter loaded from {0}</source>
        <translation>Filtre chargé depuis {0}</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="165" />
        <source>Open image</source>
        <translation>Ouvrir une image</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="166" />
        <source>Images ({0})</source>
        <translation>Images ({0})</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="171" />
        <source>Open filter</source>
        <translation>Ouvrir un filtre</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="172" />
        <location filename="../tabs/convolution.py" line="178" />
        <source>Filters ({0})</source>
        <translation>Filtres ({0})</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="177" />
        <source>Save filter</source>
        <translation>Enregistrer le filtre</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="182" />
        <source>Filter saved to {0}</source>
        <translation>Filtre enregistré dans {0}</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="184" />
        <source>Cannot save the filter: {0}</source>
        <translation>Impossible d'enregistrer le filtre : {0}</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="189" />
        <source>The feature map is not computed yet.</source>
        <translation>La carte de caractéristiques n'est pas encore calculée.</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="192" />
        <source>Save feature map</source>
        <translation>Enregistrer la carte de caractéristiques</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="193" />
        <source>PNG images (*.png)</source>
        <translation>Images PNG (*.png)</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="201" />
        <source>Cannot save the feature map: {0}</source>
        <translation>Impossible d'enregistrer la carte de caractéristiques : {0}</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="203" />
        <source>Feature map saved to {0}</source>
        <translation>Carte de caractéristiques enregistrée dans {0}</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="252" />
        <source>The filter does not fit: {0}</source>
        <translation>Le filtre ne tient pas : {0}</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="274" />
        <source>The engine failed: {0}</source>
        <translation>Le moteur a échoué : {0}</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="316" />
        <source>{0} × {1} pixels</source>
        <translation>{0} × {1} pixels</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="316" />
        <source>, colour</source>
        <translation>, en couleur</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="318" />
        <source>Shrunk to {0} × {1} for stepping (cell by cell on a large image would take too long).</source>
        <translation>Réduite à {0} × {1} pour le pas à pas (case par case, une grande image prendrait trop de temps).</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="357" />
        <source>&lt;b&gt;Output: none&lt;/b&gt; (the filter is larger than the padded image)</source>
        <translation>&lt;b&gt;Sortie : aucune&lt;/b&gt; (le filtre est plus grand que l'image avec bourrage)</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="361" />
        <source>&lt;b&gt;Output: {0} × {1}&lt;/b&gt; = {2}&lt;br&gt;with N = {3} × {4}, K = {5}, s = {6}, P = {7}</source>
        <translation>&lt;b&gt;Sortie : {0} × {1}&lt;/b&gt; = {2}&lt;br&gt;avec N = {3} × {4}, K = {5}, s = {6}, P = {7}</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="366" />
        <source>Step by step</source>
        <translation>Pas à pas</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="366" />
        <source>Padding: valid / same / full</source>
        <translation>Bourrage : valid / same / full</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="367" />
        <source>Pooling vs stride</source>
        <translation>Pooling ou pas plus grand</translation>
    </message>
</context>
<context>
    <name>ConvolutionView</name>
    <message>
        <location filename="../tabs/convolution_view.py" line="34" />
        <source>Input image (with its padding)</source>
        <translation>Image d'entrée (avec son bourrage)</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="35" />
        <source>Feature map (output of the convolution)</source>
        <translation>Carte de caractéristiques (sortie de la convolution)</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="36" />
        <source>After ReLU: max(0, x)</source>
        <translation>Après ReLU : max(0, x)</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="38" />
        <source>The filter is larger than the padded image: choose a smaller filter or more padding.</source>
        <translation>Le filtre est plus grand que l'image avec bourrage : choisissez un filtre plus petit ou plus de bourrage.</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="52" />
        <source>{0} × {1} image + padding = {2} × {3} (hatched: the zeros added)</source>
        <translation>Image {0} × {1} + bourrage = {2} × {3} (hachuré : les zéros ajoutés)</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="55" />
        <source>Wheel: zoom (values appear on large cells), drag: pan, double-click: fit.</source>
        <translation>Molette : zoom (les valeurs apparaissent sur les grandes cases), glisser : déplacer, double-clic : tout voir.</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="85" />
        <source>&lt;b&gt;{0} × {1}&lt;/b&gt;, {2} of {3} cells computed. Blue &amp;lt; 0 &amp;lt; red. Hover a cell: its window; click: go there.</source>
        <translation>&lt;b&gt;{0} × {1}&lt;/b&gt;, {2} cases calculées sur {3}. Bleu &amp;lt; 0 &amp;lt; rouge. Survol : sa fenêtre ; clic : y aller.</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="90" />
        <location filename="../tabs/convolution_view.py" line="120" />
        <source>Compiling kernels...</source>
        <translation>Compilation des noyaux...</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="95" />
        <source>Negatives become 0</source>
        <translation>Les négatifs deviennent 0</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="96" />
        <source>ReLU nulls the negatives: blue cells become white (0), positive answers stay. Same colours as the feature map.</source>
        <translation>ReLU annule les négatifs : les cases bleues deviennent blanches (0), les réponses positives restent. Mêmes couleurs que la carte de caractéristiques.</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="103" />
        <source>Max pooling</source>
        <translation>Max pooling</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="104" />
        <source>Min pooling</source>
        <translation>Min pooling</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="105" />
        <source>Average pooling</source>
        <translation>Pooling moyen</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="114" />
        <source>{0} {1} × {1}, stride {2}</source>
        <translation>{0} {1} × {1}, pas {2}</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="121" />
        <source>The pooling window is larger than the feature map.</source>
        <translation>La fenêtre de pooling est plus grande que la carte de caractéristiques.</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="143" />
        <source>mean</source>
        <translation>moyenne</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="148" />
        <source>Step the pooling window:</source>
        <translation>Faire avancer la fenêtre de pooling :</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="150" />
        <source>&lt;b&gt;{0} × {1}&lt;/b&gt; from {2} × {3}</source>
        <translation>&lt;b&gt;{0} × {1}&lt;/b&gt; à partir de {2} × {3}</translation>
    </message>
</context>
<context>
    <name>FilterEditor</name>
    <message>
        <location filename="../widgets/filter_editor.py" line="134" />
        <source>Horizontal line (lesson)</source>
        <translation>Trait horizontal (cours)</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="134" />
        <source>Vertical line</source>
        <translation>Trait vertical</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="135" />
        <source>Diagonal \</source>
        <translation>Diagonale \</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="135" />
        <source>Diagonal /</source>
        <translation>Diagonale /</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="136" />
        <source>Sobel x (vertical edges)</source>
        <translation>Sobel x (bords verticaux)</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="136" />
        <source>Sobel y (horizontal edges)</source>
        <translation>Sobel y (bords horizontaux)</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="137" />
        <source>Laplacian</source>
        <translation>Laplacien</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="137" />
        <source>Box blur</source>
        <translation>Flou moyen</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="138" />
        <source>Gaussian blur</source>
        <translation>Flou gaussien</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="138" />
        <source>Sharpen</source>
        <translation>Netteté</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="138" />
        <source>Emboss</source>
        <translation>Relief</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="139" />
        <source>Identity</source>
        <translation>Identité</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="146" />
        <source>Custom</source>
        <translation>Personnalisé</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="151" />
        <source>Preset</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="152" />
        <source>Size K</source>
        <translation>Taille K</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="153" />
        <source>Bias</source>
        <translation>Biais</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="154" />
        <source>Filter size K x K (1 to 7)</source>
        <translation>Taille du filtre K x K (1 à 7)</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="155" />
        <source>Double-click a cell to type a number</source>
        <translation>Double-cliquez sur une case pour saisir un nombre</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="156" />
        <source>Added to every sum (the neuron's bias)</source>
        <translation>Ajouté à chaque somme (le biais du neurone)</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="157" />
        <source>Load...</source>
        <translation>Charger...</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="158" />
        <source>Save...</source>
        <translation>Enregistrer...</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="159" />
        <source>Load a filter from .npy, .txt, .csv or .json</source>
        <translation>Charger un filtre depuis .npy, .txt, .csv ou .json</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="160" />
        <source>Save this filter to .npy, .txt, .csv or .json</source>
        <translation>Enregistrer ce filtre en .npy, .txt, .csv ou .json</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="213" />
        <source>'{0}' is not a number: the filter cell keeps {1}</source>
        <translation>« {0} » n'est pas un nombre : la case du filtre garde {1}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="68" />
        <source>ConvScope</source>
        <translation>ConvScope</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="158" />
        <source>ConvScope: learn how convolutional networks see</source>
        <translation>ConvScope : comprendre comment voient les réseaux convolutifs</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="159" />
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="160" />
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="161" />
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="162" />
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="163" />
        <source>Main toolbar</source>
        <translation>Barre d'outils principale</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="164" />
        <source>Open &amp;image...</source>
        <translation>Ouvrir une &amp;image...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="165" />
        <source>Open &amp;filter...</source>
        <translation>Ouvrir un &amp;filtre...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="166" />
        <source>&amp;Save feature map as PNG...</source>
        <translation>&amp;Enregistrer la carte de caractéristiques en PNG...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="167" />
        <source>Open lesson state...</source>
        <translation>Ouvrir l'état de la leçon...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="168" />
        <source>Save lesson state...</source>
        <translation>Enregistrer l'état de la leçon...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="169" />
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="170" />
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="171" />
        <source>&amp;About ConvScope</source>
        <translation>À &amp;propos de ConvScope</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="172" />
        <source>&amp;Fit all grids</source>
        <translation>&amp;Ajuster toutes les grilles</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="173" />
        <source>Show &amp;values on zoomed cells</source>
        <translation>Afficher les &amp;valeurs sur les cases zoomées</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="199" />
        <source>Engine: {0}</source>
        <translation>Moteur : {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="200" />
        <source>Compiling kernels (first start takes a few seconds)...</source>
        <translation>Compilation des noyaux (le premier démarrage prend quelques secondes)...</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="150" />
        <source>This tab could not be loaded: {0}</source>
        <translation>Cet onglet n’a pas pu être chargé : {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="205" />
        <source>Kernels ready.</source>
        <translation>Noyaux prêts.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="213" />
        <source>Compiled kernels unavailable ({0}); using the NumPy reference.</source>
        <translation>Noyaux compilés indisponibles ({0}) ; utilisation de la référence NumPy.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="216" />
        <source>The engine failed to start: {0}</source>
        <translation>Le moteur n'a pas pu démarrer : {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="222" />
        <source>The convolution tab is not available.</source>
        <translation>L'onglet Convolution n'est pas disponible.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="260" />
        <source>Save lesson state</source>
        <translation>Enregistrer l'état de la leçon</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="261" />
        <location filename="../main_window.py" line="278" />
        <source>Lesson state (*.json)</source>
        <translation>État de la leçon (*.json)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="269" />
        <source>Cannot save the lesson state: {0}</source>
        <translation>Impossible d'enregistrer l'état de la leçon : {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="271" />
        <source>Lesson state saved to {0}</source>
        <translation>État de la leçon enregistré dans {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="277" />
        <source>Open lesson state</source>
        <translation>Ouvrir l'état de la leçon</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="290" />
        <source>Cannot open the lesson state: {0}</source>
        <translation>Impossible d'ouvrir l'état de la leçon : {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="292" />
        <source>Lesson state loaded from {0}</source>
        <translation>État de la leçon chargé depuis {0}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="296" />
        <source>Play / pause the sliding window</source>
        <translation>Lecture / pause de la fenêtre glissante</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="296" />
        <source>Step forward</source>
        <translation>Pas suivant</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="297" />
        <source>Step back</source>
        <translation>Pas précédent</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="297" />
        <source>Back to the first step</source>
        <translation>Revenir au premier pas</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="298" />
        <source>Jump to the end</source>
        <translation>Aller à la fin</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="299" />
        <source>Open an image</source>
        <translation>Ouvrir une image</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="300" />
        <source>Save the feature map as PNG</source>
        <translation>Enregistrer la carte de caractéristiques en PNG</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="301" />
        <source>Mouse wheel</source>
        <translation>Molette</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="301" />
        <source>Zoom a grid (numbers appear when cells are large)</source>
        <translation>Zoomer une grille (les nombres apparaissent sur les grandes cases)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="302" />
        <source>Double-click</source>
        <translation>Double-clic</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="302" />
        <source>Fit the grid in its panel</source>
        <translation>Ajuster la grille à son panneau</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="307" />
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="310" />
        <source>About ConvScope</source>
        <translation>À propos de ConvScope</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="311" />
        <source>&lt;h3&gt;ConvScope&lt;/h3&gt;&lt;p&gt;Learn convolutional neural networks by seeing them work: slide a filter over an image, watch ReLU and pooling, then build and train a network.&lt;/p&gt;&lt;p&gt;Numba engine, PySide6 + pyqtgraph interface. MIT licence.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ConvScope&lt;/h3&gt;&lt;p&gt;Apprendre les réseaux de neurones convolutifs en les voyant travailler : faites glisser un filtre sur une image, observez ReLU et le pooling, puis construisez et entraînez un réseau.&lt;/p&gt;&lt;p&gt;Moteur Numba, interface PySide6 + pyqtgraph. Licence MIT.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>PaddingComparison</name>
    <message>
        <location filename="../widgets/compare.py" line="73" />
        <source>&lt;b&gt;Padding decides the size of the feature map.&lt;/b&gt; Same image, same filter, stride 1: &lt;i&gt;valid&lt;/i&gt; keeps only the positions where the filter fits (N - K + 1), &lt;i&gt;same&lt;/i&gt; adds just enough zeros to keep the size (N), &lt;i&gt;full&lt;/i&gt; adds K - 1 zeros on each side (N + K - 1) so that every pixel is seen by every filter cell.</source>
        <translation>&lt;b&gt;Le bourrage décide de la taille de la carte de caractéristiques.&lt;/b&gt; Même image, même filtre, pas 1 : &lt;i&gt;valid&lt;/i&gt; ne garde que les positions où le filtre tient (N - K + 1), &lt;i&gt;same&lt;/i&gt; ajoute juste assez de zéros pour garder la taille (N), &lt;i&gt;full&lt;/i&gt; ajoute K - 1 zéros de chaque côté (N + K - 1) pour que chaque pixel soit vu par chaque case du filtre.</translation>
    </message>
    <message>
        <location filename="../widgets/compare.py" line="77" />
        <source>valid</source>
        <translation>valid</translation>
    </message>
    <message>
        <location filename="../widgets/compare.py" line="77" />
        <source>same</source>
        <translation>same</translation>
    </message>
    <message>
        <location filename="../widgets/compare.py" line="77" />
        <source>full</source>
        <translation>full</translation>
    </message>
    <message>
        <location filename="../widgets/compare.py" line="83" />
        <source>The filter does not fit in the input.</source>
        <translation>Le filtre ne tient pas dans l'entrée.</translation>
    </message>
    <message>
        <location filename="../widgets/compare.py" line="86" />
        <source>Output {0} = {1} with N = {2} × {3}, K = {4}</source>
        <translation>Sortie {0} = {1} avec N = {2} × {3}, K = {4}</translation>
    </message>
</context>
<context>
    <name>PoolVsStride</name>
    <message>
        <location filename="../widgets/compare.py" line="119" />
        <source>&lt;b&gt;Two ways to shrink a feature map.&lt;/b&gt; Left: convolution with stride 1, then ReLU. Middle: the same map after 2 x 2 max-pooling (keeps the strongest answer of each block). Right: the convolution computed directly with stride 2, then ReLU. Both divide the size by about 2, but pooling looks at every position and keeps the best one, while a stride of 2 skips positions and can miss a detection that falls between two of them.</source>
        <translation>&lt;b&gt;Deux façons de réduire une carte de caractéristiques.&lt;/b&gt; À gauche : convolution de pas 1, puis ReLU. Au milieu : la même carte après un max-pooling 2 x 2 (garde la plus forte réponse de chaque bloc). À droite : la convolution calculée directement avec un pas de 2, puis ReLU. Les deux divisent la taille par environ 2, mais le pooling regarde toutes les positions et garde la meilleure, alors qu'un pas de 2 saute des positions et peut manquer une détection tombée entre deux d'entre elles.</translation>
    </message>
    <message>
        <location filename="../widgets/compare.py" line="124" />
        <source>Conv stride 1 + ReLU</source>
        <translation>Conv pas 1 + ReLU</translation>
    </message>
    <message>
        <location filename="../widgets/compare.py" line="124" />
        <source>... then max-pool 2 x 2</source>
        <translation>... puis max-pooling 2 x 2</translation>
    </message>
    <message>
        <location filename="../widgets/compare.py" line="125" />
        <source>Conv stride 2 + ReLU</source>
        <translation>Conv pas 2 + ReLU</translation>
    </message>
    <message>
        <location filename="../widgets/compare.py" line="130" />
        <source>Not available for this image and filter.</source>
        <translation>Indisponible pour cette image et ce filtre.</translation>
    </message>
    <message>
        <location filename="../widgets/compare.py" line="132" />
        <source>Output size: {0}</source>
        <translation>Taille de sortie : {0}</translation>
    </message>
</context>
<context>
    <name>Stepper</name>
    <message numerus="yes">
        <location filename="../widgets/stepper.py" line="130" />
        <source>Speed: %n step(s)/s</source>
        <translation>
            <numerusform>Vitesse : %n pas/s</numerusform><numerusform>Vitesse : %n pas/s</numerusform></translation>
    </message>
    <message>
        <location filename="../widgets/stepper.py" line="136" />
        <source>Step {0} / {1}</source>
        <translation>Pas {0} / {1}</translation>
    </message>
    <message>
        <location filename="../widgets/stepper.py" line="140" />
        <source>Reset (Home)</source>
        <translation>Recommencer (Début)</translation>
    </message>
    <message>
        <location filename="../widgets/stepper.py" line="141" />
        <source>Step back (Left)</source>
        <translation>Pas précédent (Gauche)</translation>
    </message>
    <message>
        <location filename="../widgets/stepper.py" line="142" />
        <source>Play / pause (Space)</source>
        <translation>Lecture / pause (Espace)</translation>
    </message>
    <message>
        <location filename="../widgets/stepper.py" line="143" />
        <source>Step forward (Right)</source>
        <translation>Pas suivant (Droite)</translation>
    </message>
    <message>
        <location filename="../widgets/stepper.py" line="144" />
        <source>Jump to the end (End)</source>
        <translation>Aller à la fin (Fin)</translation>
    </message>
    <message>
        <location filename="../widgets/stepper.py" line="145" />
        <source>Animation speed</source>
        <translation>Vitesse de l'animation</translation>
    </message>
</context>
</TS>