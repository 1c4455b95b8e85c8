<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>CalcPanel</name>
    <message>
        <location filename="../widgets/calc_panel.py" line="116" />
        <source>Window on the input</source>
        <translation>Fenêtre sur l'entrée</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Filter (rotated 180°)</source>
        <translation>Filtre (tourné de 180°)</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Filter</source>
        <translation>Filtre</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Products</source>
        <translation>Produits</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Calculation of one output cell</source>
        <translation>Calcul d'une case de sortie</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Output cell ({0}, {1}) = sum of the products = {2}</source>
        <translation>Case de sortie ({0}, {1}) = somme des produits = {2}</translation>
    </message>
</context>
<context>
    <name>ConvControls</name>
    <message>
        <location filename="../widgets/conv_controls.py" line="+190" />
        <source>Handwritten digit (28 x 28)</source>
        <translation>Chiffre manuscrit (28 × 28)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cross (9 x 9)</source>
        <translation>Croix (9 × 9)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Horizontal line (3 x 3, lesson)</source>
        <translation>Trait horizontal (3 × 3, leçon)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Checkerboard (12 x 12)</source>
        <translation>Damier (12 × 12)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Photo: camera man</source>
        <translation>Photo : le caméraman</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Photo: astronaut</source>
        <translation>Photo : astronaute</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Photo: Chelsea the cat</source>
        <translation>Photo : Chelsea le chat</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Photo: coffee cup</source>
        <translation>Photo : tasse de café</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Your image</source>
        <translation>Votre image</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Luminance (grey)</source>
        <translation>Luminance (gris)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Red channel</source>
        <translation>Canal rouge</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Green channel</source>
        <translation>Canal vert</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Blue channel</source>
        <translation>Canal bleu</translation>
    </message>
    <message>
        <location line="+12" />
        <source>valid (no zeros)</source>
        <translation>valid (aucun zéro)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>same (keeps N)</source>
        <translation>same (garde N)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>full (K - 1 zeros)</source>
        <translation>full (K - 1 zéros)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>custom P</source>
        <translation>P au choix</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="252" />
        <source>max</source>
        <translation>max</translation>
    </message>
    <message>
        <location line="+0" />
        <source>min</source>
        <translation>min</translation>
    </message>
    <message>
        <location line="+0" />
        <source>average</source>
        <translation>moyenne</translation>
    </message>
    <message>
        <location line="+2" />
        <source>1. Input image</source>
        <translation>1. Image d'entrée</translation>
    </message>
    <message>
        <location line="+1" />
        <source>2. Filter</source>
        <translation>2. Filtre</translation>
    </message>
    <message>
        <location line="+1" />
        <source>3. Convolution</source>
        <translation>3. Convolution</translation>
    </message>
    <message>
        <location line="+1" />
        <source>4. Pooling (after ReLU)</source>
        <translation>4. Pooling (après ReLU)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open image...</source>
        <translation>Ouvrir une image...</translation>
    </message>
    <message>
        <location line="+2" />
        <source>PNG, JPEG, BMP, TIFF... You can also drop a file on the window.</source>
        <translation>PNG, JPEG, BMP, TIFF... Vous pouvez aussi déposer un fichier sur la fenêtre.</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="263" />
        <source>Flip the filter (true convolution)</source>
        <translation>Retourner le filtre (vraie convolution)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Unchecked: cross-correlation, what CNN libraries compute. Checked: the filter is rotated 180° first, as in the lesson's formula.</source>
        <translation>Décoché : corrélation croisée, ce que calculent les bibliothèques de CNN. Coché : le filtre est d'abord tourné de 180°, comme dans la formule de la leçon.</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="271" />
        <source>Sample</source>
        <translation>Exemple</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <location filename="../widgets/conv_controls.py" line="274" />
        <source>Stride s</source>
        <translation>Pas (stride) s</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Window</source>
        <translation>Fenêtre</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Stride</source>
        <translation>Pas (stride)</translation>
    </message>
</context>
<context>
    <name>ConvolutionTab</name>
    <message>
        <location filename="../tabs/convolution.py" line="+99" />
        <source>Convolution</source>
        <extracomment>the lab's state (image, settings, walk, maps, hover): what the views draw</extracomment>
        <translation>Convolution</translation>
    </message>
    <message>
        <location line="+30" />
        <source>Cannot load the sample: {0}</source>
        <translation>Impossible de charger l'exemple : {0}</translation>
    </message>
    <message>
        <location line="+16" />
        <source>Cannot open the image: {0}</source>
        <translation>Impossible d'ouvrir l'image : {0}</translation>
    </message>
    <message>
        <location line="-36" />
        <location line="+53" />
        <source>Cannot load the filter: {0}</source>
        <translation>Impossible de charger le filtre : {0}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Filter loaded from {0}</source>
        <translation>Filtre chargé depuis {0}</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Open image</source>
        <translation>Ouvrir une image</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Images ({0})</source>
        <translation>Images ({0})</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Open filter</source>
        <translation>Ouvrir un filtre</translation>
    </message>
    <message>
        <location line="+0" />
        <location line="+7" />
        <source>Filters ({0})</source>
        <translation>Filtres ({0})</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Save filter</source>
        <translation>Enregistrer le filtre</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Filter saved to {0}</source>
        <translation>Filtre enregistré dans {0}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Cannot save the filter: {0}</source>
        <translation>Impossible d'enregistrer le filtre : {0}</translation>
    </message>
    <message>
        <location line="+5" />
        <source>The feature map is not computed yet.</source>
        <translation>La carte de caractéristiques n'est pas encore calculée.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Save feature map</source>
        <translation>Enregistrer la carte de caractéristiques</translation>
    </message>
    <message>
        <location line="+0" />
        <source>PNG images (*.png)</source>
        <translation>Images PNG (*.png)</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Cannot save the feature map: {0}</source>
        <translation>Impossible d'enregistrer la carte de caractéristiques : {0}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Feature map saved to {0}</source>
        <translation>Carte de caractéristiques enregistrée dans {0}</translation>
    </message>
    <message>
        <location line="+68" />
        <source>The filter does not fit: {0}</source>
        <translation>Le filtre ne tient pas : {0}</translation>
    </message>
    <message>
        <location line="+24" />
        <source>The engine failed: {0}</source>
        <translation>Le moteur a échoué : {0}</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="343" />
        <source>Shrunk to {0} × {1} for stepping (cell by cell on a large image would take too long).</source>
        <translation>Réduite à {0} × {1} pour le pas à pas (case par case, une grande image prendrait trop de temps).</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="388" />
        <source>&lt;b&gt;Output: {0} × {1}&lt;/b&gt; = {2}&lt;br&gt;with N = {3} × {4}, K = {5}, s = {6}, P = {7}</source>
        <translation>&lt;b&gt;Sortie : {0} × {1}&lt;/b&gt; = {2}&lt;br&gt;avec N = {3} × {4}, K = {5}, s = {6}, P = {7}</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Step by step</source>
        <translation>Pas à pas</translation>
    </message>
    <message>
        <location filename="../tabs/convolution.py" line="402" />
        <source>Pooling vs stride</source>
        <translation>Pooling ou pas plus grand</translation>
    </message>
</context>
<context>
    <name>ConvolutionView</name>
    <message>
        <location filename="../tabs/convolution_view.py" line="46" />
        <source>Feature map (output of the convolution)</source>
        <translation>Carte de caractéristiques (sortie de la convolution)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>After ReLU: max(0, x)</source>
        <translation>Après ReLU : max(0, x)</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="70" />
        <source>Wheel: zoom (values appear on large cells), drag: pan, double-click: fit.</source>
        <translation>Molette : zoom (les valeurs apparaissent sur les grandes cases), glisser : déplacer, double-clic : tout voir.</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="92" />
        <location line="+40" />
        <source>Compiling kernels...</source>
        <translation>Compilation des noyaux...</translation>
    </message>
    <message>
        <location line="-35" />
        <source>Negatives become 0</source>
        <translation>Les négatifs deviennent 0</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="110" />
        <source>Max pooling</source>
        <translation>Max pooling</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Min pooling</source>
        <translation>Min pooling</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Average pooling</source>
        <translation>Pooling moyen</translation>
    </message>
    <message>
        <location line="+9" />
        <source>{0} {1} × {1}, stride {2}</source>
        <translation>{0} {1} × {1}, pas {2}</translation>
    </message>
    <message>
        <location line="+13" />
        <source>The pooling window is larger than the feature map.</source>
        <translation>La fenêtre de pooling est plus grande que la carte de caractéristiques.</translation>
    </message>
    <message>
        <location line="+17" />
        <source>mean</source>
        <translation>moyenne</translation>
    </message>
    <message>
        <location filename="../tabs/convolution_view.py" line="163" />
        <source>&lt;b&gt;{0} × {1}&lt;/b&gt; from {2} × {3}</source>
        <translation>&lt;b&gt;{0} × {1}&lt;/b&gt; à partir de {2} × {3}</translation>
    </message>
</context>
<context>
    <name>FilterEditor</name>
    <message>
        <location filename="../widgets/filter_editor.py" line="+135" />
        <source>Horizontal line (lesson)</source>
        <translation>Trait horizontal (leçon)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Vertical line</source>
        <translation>Trait vertical</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Diagonal \</source>
        <translation>Diagonale \</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Diagonal /</source>
        <translation>Diagonale /</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sobel x (vertical edges)</source>
        <translation>Sobel x (bords verticaux)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sobel y (horizontal edges)</source>
        <translation>Sobel y (bords horizontaux)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Laplacian</source>
        <translation>Laplacien</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Box blur</source>
        <translation>Flou moyen</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Gaussian blur</source>
        <translation>Flou gaussien</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sharpen</source>
        <translation>Netteté</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Emboss</source>
        <translation>Relief</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Identity</source>
        <translation>Identité</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Custom</source>
        <translation>Personnalisé</translation>
    </message>
    <message>
        <location filename="../widgets/filter_editor.py" line="159" />
        <source>Size K</source>
        <translation>Taille K</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Bias</source>
        <translation>Biais</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Filter size K x K (1 to 7)</source>
        <translation>Taille du filtre K × K (1 à 7)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Double-click a cell to type a number</source>
        <translation>Double-cliquez sur une case pour saisir un nombre</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Added to every sum (the neuron's bias)</source>
        <translation>Ajouté à chaque somme (le biais du neurone)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Load...</source>
        <translation>Charger...</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save...</source>
        <translation>Enregistrer...</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Load a filter from .npy, .txt, .csv or .json</source>
        <translation>Charger un filtre depuis .npy, .txt, .csv ou .json</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save this filter to .npy, .txt, .csv or .json</source>
        <translation>Enregistrer ce filtre en .npy, .txt, .csv ou .json</translation>
    </message>
    <message>
        <location line="+54" />
        <source>'{0}' is not a number: the filter cell keeps {1}</source>
        <translation>« {0} » n'est pas un nombre : la case du filtre garde {1}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="+110" />
        <source>ConvScope</source>
        <translation>ConvScope</translation>
    </message>
    <message>
        <location line="+195" />
        <source>ConvScope: learn how convolutional networks see</source>
        <translation>ConvScope : comprendre comment voient les réseaux convolutifs</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <location line="+1" />
        <source>L&amp;esson</source>
        <translation>&amp;Leçon</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Main toolbar</source>
        <translation>Barre d'outils principale</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Open &amp;image...</source>
        <translation>Ouvrir une &amp;image...</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open &amp;filter...</source>
        <translation>Ouvrir un &amp;filtre...</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Save feature map as PNG...</source>
        <translation>&amp;Enregistrer la carte de caractéristiques en PNG...</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open lesson state...</source>
        <translation>Ouvrir l'état de la leçon...</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save lesson state...</source>
        <translation>Enregistrer l'état de la leçon...</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Raccourcis clavier</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;About ConvScope</source>
        <translation>À &amp;propos de ConvScope</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Fit all grids</source>
        <translation>&amp;Ajuster toutes les grilles</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Show &amp;values on zoomed cells</source>
        <translation>Afficher les &amp;valeurs sur les cases zoomées</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Previous section</source>
        <translation>Section &amp;précédente</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Next section</source>
        <translation>Section &amp;suivante</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Open an image: the network's input on the Network tab, the lab's image elsewhere</source>
        <translation>Ouvrir une image : l'entrée du réseau dans l'onglet Réseau, l'image du laboratoire ailleurs</translation>
    </message>
    <message>
        <location line="+40" />
        <source>The cuda backend was asked for, but {0}: running on the CPU instead.</source>
        <translation>Le moteur cuda a été demandé, mais {0} : calcul sur le processeur (CPU) à la place.</translation>
    </message>
    <message>
        <location line="+3" />
        <source>CONVSCOPE_BACKEND={0} is not a backend (cpu, reference or cuda): running on the CPU instead.</source>
        <translation>CONVSCOPE_BACKEND={0} n'est pas un moteur (cpu, reference ou cuda) : calcul sur le processeur (CPU) à la place.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>no NVIDIA driver is installed ({0} cannot be loaded)</source>
        <translation>aucun pilote NVIDIA n'est installé ({0} ne peut pas être chargé)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>this system ({0}) has no CUDA driver</source>
        <translation>ce système ({0}) n'a pas de pilote CUDA</translation>
    </message>
    <message>
        <location line="+1" />
        <source>no CUDA device was found</source>
        <translation>aucune carte graphique CUDA n'a été trouvée</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Engine: {0} ({1} unavailable)</source>
        <translation>Moteur : {0} ({1} indisponible)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Engine: {0}</source>
        <translation>Moteur : {0}</translation>
    </message>
    <message>
        <location line="+47" />
        <source>Open image</source>
        <translation>Ouvrir une image</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Images ({0})</source>
        <translation>Images ({0})</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Cannot open the image: {0}</source>
        <translation>Impossible d'ouvrir l'image : {0}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>{0} is the network's input.</source>
        <translation>{0} est l'entrée du réseau.</translation>
    </message>
    <message>
        <location line="-77" />
        <source>Compiling kernels (first start takes a few seconds)...</source>
        <translation>Compilation des noyaux (le premier démarrage prend quelques secondes)...</translation>
    </message>
    <message>
        <location line="-188" />
        <source>This tab could not be loaded: {0}</source>
        <translation>Cet onglet n’a pas pu être chargé : {0}</translation>
    </message>
    <message>
        <location line="+208" />
        <source>Kernels ready.</source>
        <translation>Noyaux prêts.</translation>
    </message>
    <message>
        <location line="-28" />
        <source>Compiled kernels unavailable ({0}); using the NumPy reference.</source>
        <translation>Noyaux compilés indisponibles ({0}) ; utilisation de la référence NumPy.</translation>
    </message>
    <message>
        <location line="+32" />
        <source>The engine failed to start: {0}</source>
        <translation>Le moteur n'a pas pu démarrer : {0}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The convolution tab is not available.</source>
        <translation>L'onglet Convolution n'est pas disponible.</translation>
    </message>
    <message>
        <location line="+64" />
        <source>Play / pause the sliding window</source>
        <translation>Lecture / pause de la fenêtre glissante</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Step forward</source>
        <translation>Pas suivant</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Step back</source>
        <translation>Pas précédent</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Back to the first step</source>
        <translation>Revenir au premier pas</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Jump to the end</source>
        <translation>Aller à la fin</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open an image</source>
        <translation>Ouvrir une image</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Save the feature map as PNG</source>
        <translation>Enregistrer la carte de caractéristiques en PNG</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Show or hide the lesson panel</source>
        <translation>Afficher ou masquer le panneau de la leçon</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Previous / next section of the lesson, with its view</source>
        <translation>Section précédente / suivante de la leçon, avec sa vue</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mouse wheel</source>
        <translation>Molette</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Zoom a grid (numbers appear when cells are large)</source>
        <translation>Zoomer une grille (les nombres apparaissent sur les grandes cases)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Double-click</source>
        <translation>Double-clic</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Fit the grid in its panel</source>
        <translation>Ajuster la grille à son panneau</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location line="+5" />
        <source>About ConvScope</source>
        <translation>À propos de ConvScope</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&lt;h3&gt;ConvScope&lt;/h3&gt;&lt;p&gt;Learn convolutional neural networks by seeing them work: slide a filter over an image, watch ReLU and pooling, then build and train a network.&lt;/p&gt;&lt;p&gt;Numba engine, PySide6 + pyqtgraph interface. MIT licence.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;ConvScope&lt;/h3&gt;&lt;p&gt;Apprendre les réseaux de neurones convolutifs en les voyant travailler : faites glisser un filtre sur une image, observez ReLU et le pooling, puis construisez et entraînez un réseau.&lt;/p&gt;&lt;p&gt;Moteur Numba, interface PySide6 + pyqtgraph. Licence MIT.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>PaddingComparison</name>
    <message>
        <location filename="../widgets/compare.py" line="83" />
        <source>valid</source>
        <translation>valid</translation>
    </message>
    <message>
        <location line="+0" />
        <source>same</source>
        <translation>same</translation>
    </message>
    <message>
        <location line="+0" />
        <source>full</source>
        <translation>full</translation>
    </message>
    <message>
        <location line="+6" />
        <source>The filter does not fit in the input.</source>
        <translation>Le filtre ne tient pas dans l'entrée.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Output {0} = {1} with N = {2} × {3}, K = {4}</source>
        <translation>Sortie {0} = {1} avec N = {2} × {3}, K = {4}</translation>
    </message>
</context>
<context>
    <name>PoolVsStride</name>
    <message>
        <location filename="../widgets/compare.py" line="138" />
        <source>Conv stride 1 + ReLU</source>
        <translation>Conv de pas 1 + ReLU</translation>
    </message>
    <message>
        <location filename="../widgets/compare.py" line="146" />
        <source>Not available for this image and filter.</source>
        <translation>Indisponible pour cette image et ce filtre.</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Output size: {0}</source>
        <translation>Taille de sortie : {0}</translation>
    </message>
</context>
<context>
    <name>Stepper</name>
    <message>
        <location filename="../widgets/stepper.py" line="148" />
        <source>Reset (Home)</source>
        <translation>Recommencer (Début)</translation>
    </message>
    <message>
        <location filename="../widgets/stepper.py" line="150" />
        <source>Play / pause (Space)</source>
        <translation>Lecture / pause (Espace)</translation>
    </message>
    <message>
        <location filename="../widgets/stepper.py" line="152" />
        <source>Jump to the end (End)</source>
        <translation>Aller à la fin (Fin)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Animation speed</source>
        <translation>Vitesse de l'animation</translation>
    </message>
</context>
<context>
    <name>SideFold</name>
    <message>
        <location filename="../widgets/side_fold.py" />
        <source>Show this column</source>
        <translation>Afficher cette colonne</translation>
    </message>
    <message>
        <location filename="../widgets/side_fold.py" />
        <source>Hide this column (more room for the view)</source>
        <translation>Masquer cette colonne (plus de place pour la vue)</translation>
    </message>
</context>
</TS>