<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="fr_FR">
    <context>
        <name>BackpropTab</name>
        <message>
            <location filename="../tabs/backprop.py" line="262" />
            <source>The first layer: no dL/dX is needed</source>
            <translation>Première couche : pas besoin de dL/dX</translation>
        </message>
        <message>
            <location filename="../tabs/backprop.py" line="322" />
            <source>Input X, channel c (hatched: padding)</source>
            <translation>Entrée X, canal c (hachuré : remplissage)</translation>
        </message>
        <message>
            <location filename="../tabs/backprop.py" line="332" />
            <source>Skip positions where dL/dZ = 0</source>
            <translation>Sauter les positions où dL/dZ = 0</translation>
        </message>
        <message>
            <location filename="../tabs/backprop.py" line="335" />
            <source>After a ReLU most positions have dL/dZ = 0: they add nothing to dL/dW or dL/dX. Tick to make Previous, Next and Play pass over them.</source>
            <translation>Après une ReLU, la plupart des positions ont dL/dZ = 0 : elles n'ajoutent rien à dL/dW ni à dL/dX. Cochez pour que Précédent, Suivant et Lecture les sautent.</translation>
        </message>
        <message>
            <location filename="../tabs/backprop.py" line="339" />
            <source>Wheel: zoom (values appear on large cells), drag: pan, double-click: fit.</source>
            <translation>Molette : zoom (les valeurs apparaissent sur les grandes cases), glisser : déplacer, double-clic : tout voir.</translation>
        </message>
    </context>
    <context>
        <name>CalcPanel</name>
        <message>
            <location filename="../widgets/calc_panel.py" line="208" />
            <source>Press &lt;b&gt;Step forward&lt;/b&gt; (Right arrow) or &lt;b&gt;Play&lt;/b&gt; (Space) to slide the filter over the image.</source>
            <extracomment>text colour of each channel's name and partial sum (R, G, B)</extracomment>
            <translation>Appuyez sur &lt;b&gt;Étape suivante&lt;/b&gt; (flèche droite) ou &lt;b&gt;Lecture&lt;/b&gt; (Espace) pour faire glisser le filtre sur l'image.</translation>
        </message>
        <message>
            <location filename="../widgets/calc_panel.py" line="251" />
            <source>{0} + {1} + {2} + bias {3} = </source>
            <translation>{0} + {1} + {2} + biais {3} = </translation>
        </message>
        <message>
            <location filename="../widgets/calc_panel.py" line="255" />
            <source>Red</source>
            <translation>Rouge</translation>
        </message>
        <message>
            <location filename="../widgets/calc_panel.py" line="255" />
            <source>Green</source>
            <translation>Vert</translation>
        </message>
        <message>
            <location filename="../widgets/calc_panel.py" line="255" />
            <source>Blue</source>
            <translation>Bleu</translation>
        </message>
        <message>
            <location filename="../widgets/calc_panel.py" line="259" />
            <source>Window on each channel</source>
            <translation>Fenêtre sur chaque canal</translation>
        </message>
        <message>
            <location filename="../widgets/calc_panel.py" line="261" />
            <source>Filter slices (rotated 180°)</source>
            <translation>Tranches du filtre (tournées de 180°)</translation>
        </message>
        <message>
            <location filename="../widgets/calc_panel.py" line="261" />
            <source>Filter slices</source>
            <translation>Tranches du filtre</translation>
        </message>
        <message>
            <location filename="../widgets/calc_panel.py" line="274" />
            <source>Output cell ({0}, {1}) = sum over the 3 channels + bias = {2}</source>
            <translation>Case de sortie ({0}, {1}) = somme sur les 3 canaux + biais = {2}</translation>
        </message>
    </context>
    <context>
        <name>ConvControls</name>
        <message>
            <location filename="../widgets/conv_controls.py" line="188" />
            <source>Step through the luminance, one colour channel, or all three channels at once (RGB)</source>
            <extracomment>what the lab steps through: one plane (luminance or a colour channel) or all three channels at once</extracomment>
            <translation>Parcourir la luminance, un canal de couleur, ou les trois canaux à la fois (RVB)</translation>
        </message>
        <message>
            <location filename="../widgets/conv_controls.py" line="190" />
            <source>A grey image has one channel</source>
            <translation>Une image en niveaux de gris n'a qu'un canal</translation>
        </message>
        <message>
            <location filename="../widgets/conv_controls.py" line="243" />
            <source>All channels (RGB)</source>
            <translation>Tous les canaux (RVB)</translation>
        </message>
        <message>
            <location filename="../widgets/conv_controls.py" line="266" />
            <source>valid: no padding, the output shrinks to N - K + 1. same: enough zeros to keep the size N. full: K - 1 zeros on each side, the output grows to N + K - 1. custom: P zeros on each side.</source>
            <translation>valid : pas de remplissage (padding), la sortie rétrécit à N - K + 1. same : assez de zéros pour garder la taille N. full : K - 1 zéros de chaque côté, la sortie grandit à N + K - 1. P au choix : P zéros de chaque côté.</translation>
        </message>
        <message>
            <location filename="../widgets/conv_controls.py" line="289" />
            <source>Custom padding P (zeros on each side)</source>
            <translation>Remplissage (padding) P au choix (zéros de chaque côté)</translation>
        </message>
        <message>
            <location filename="../widgets/conv_controls.py" line="293" />
            <source>Padding</source>
            <translation>Remplissage (padding)</translation>
        </message>
    </context>
    <context>
        <name>ConvolutionTab</name>
        <message>
            <location filename="../tabs/convolution_files.py" line="65" />
            <source>The slice on screen was saved to {0}</source>
            <translation>La tranche affichée a été enregistrée dans {0}</translation>
        </message>
        <message>
            <location filename="../tabs/convolution.py" line="377" />
            <source>{0} × {1} × 3 pixels (H × W × C, colour)</source>
            <translation>{0} × {1} × 3 pixels (H × L × C, couleur)</translation>
        </message>
        <message>
            <location filename="../tabs/convolution.py" line="379" />
            <source>{0} × {1} pixels (H × W)</source>
            <translation>{0} × {1} pixels (H × L)</translation>
        </message>
        <message>
            <location filename="../tabs/convolution.py" line="420" />
            <source>&lt;b&gt;Output: none&lt;/b&gt; (the filter is larger than the padded image)</source>
            <translation>&lt;b&gt;Sortie : aucune&lt;/b&gt; (le filtre est plus grand que l'image avec son remplissage)</translation>
        </message>
        <message>
            <location filename="../tabs/convolution.py" line="442" />
            <source>Padding: valid / same / full</source>
            <translation>Remplissage (padding) : valid / same / full</translation>
        </message>
        <message>
            <location filename="../tabs/convolution.py" />
            <source>Settings</source>
            <translation>Réglages</translation>
        </message>
    </context>
    <context>
        <name>ConvolutionView</name>
        <message>
            <location filename="../tabs/convolution_view.py" line="45" />
            <source>{0} × {1} × 3 image (no padding)</source>
            <translation>Image {0} × {1} × 3 (sans remplissage)</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="47" />
            <source>{0} × {1} image (no padding)</source>
            <translation>Image {0} × {1} (sans remplissage)</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="51" />
            <source>{0} × {1} × 3 image + padding = {2} × {3} × 3 (hatched: the zeros added)</source>
            <translation>Image {0} × {1} × 3 + remplissage = {2} × {3} × 3 (hachuré : les zéros ajoutés)</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="55" />
            <source>{0} × {1} image + padding = {2} × {3} (hatched: the zeros added)</source>
            <translation>Image {0} × {1} + remplissage = {2} × {3} (hachuré : les zéros ajoutés)</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="68" />
            <source>Input image (with its padding)</source>
            <translation>Image d'entrée (avec son remplissage)</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="74" />
            <source>Skip all-zero windows</source>
            <translation>Sauter les zéros</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="76" />
            <source>Around a digit or in the padding many windows cover only zeros: their output is the bias alone. Tick to make Play and the step buttons pass over them.</source>
            <translation>Autour d'un chiffre ou dans le remplissage, beaucoup de fenêtres ne couvrent que des zéros : leur sortie est le biais seul. Cochez pour que Lecture et les boutons d'étape les sautent.</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="86" />
            <source>The filter is larger than the padded image: choose a smaller filter or more padding.</source>
            <translation>Le filtre est plus grand que l'image avec son remplissage : choisissez un filtre plus petit ou plus de remplissage (padding).</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="119" />
            <source>&lt;b&gt;{0} × {1}&lt;/b&gt;, {2} of {3} cells computed. Blue &amp;lt; 0 &amp;lt; red. Hover a cell: its window; click: go there.</source>
            <translation>&lt;b&gt;{0} × {1}&lt;/b&gt;, cases calculées : {2} sur {3}. Bleu &amp;lt; 0 &amp;lt; rouge. Survol : sa fenêtre ; clic : y aller.</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="136" />
            <source>ReLU nulls the negatives: blue cells become white (0), positive answers stay. Same colours as the feature map. Hover a cell: its window and value.</source>
            <translation>ReLU annule les négatifs : les cases bleues deviennent blanches (0), les réponses positives restent. Mêmes couleurs que la carte de caractéristiques. Survol d'une case : sa fenêtre et sa valeur.</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="147" />
            <source>Red</source>
            <translation>Rouge</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="148" />
            <source>Green</source>
            <translation>Vert</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="149" />
            <source>Blue</source>
            <translation>Bleu</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="157" />
            <source>Red share</source>
            <translation>Part du rouge</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="158" />
            <source>Green share</source>
            <translation>Part du vert</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="159" />
            <source>Blue share</source>
            <translation>Part du bleu</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="172" />
            <source>The {0} channel's share of each output cell: the convolution of that channel with its filter slice. Feature map = red + green + blue shares + bias.</source>
            <translation>La part du canal {0} dans chaque case de sortie : la convolution de ce canal avec sa tranche du filtre. Carte de caractéristiques = parts du rouge + du vert + du bleu + biais.</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="185" />
            <source>Cell ({0}, {1}): max(0, {2}) = {3}</source>
            <translation>Case ({0}, {1}) : max(0, {2}) = {3}</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="261" />
            <source>Step the pooling window:</source>
            <translation>Pooling pas à pas :</translation>
        </message>
        <message>
            <location filename="../tabs/convolution_view.py" line="268" />
            <source>Hover a pooled cell: its window on the ReLU map and its value.</source>
            <translation>Survol d'une case : sa fenêtre sur la carte après ReLU et sa valeur.</translation>
        </message>
    </context>
    <context>
        <name>FilterEditor</name>
        <message>
            <location filename="../widgets/filter_editor.py" line="263" />
            <source>Preset</source>
            <translation>Prédéfini</translation>
        </message>
        <message>
            <location filename="../widgets/filter_editor.py" line="264" />
            <source>Applies to</source>
            <translation>S'applique à</translation>
        </message>
        <message>
            <location filename="../widgets/filter_editor.py" line="265" />
            <source>Slice</source>
            <translation>Tranche</translation>
        </message>
        <message>
            <location filename="../widgets/filter_editor.py" line="269" />
            <source>every slice</source>
            <translation>toutes les tranches</translation>
        </message>
        <message>
            <location filename="../widgets/filter_editor.py" line="270" />
            <source>this slice only</source>
            <translation>cette tranche seule</translation>
        </message>
        <message>
            <location filename="../widgets/filter_editor.py" line="274" />
            <source>All channels mode: a preset or a loaded filter goes to every slice, or to the slice shown</source>
            <translation>Mode tous les canaux : un filtre prédéfini ou chargé va dans toutes les tranches, ou dans la tranche affichée</translation>
        </message>
        <message>
            <location filename="../widgets/filter_editor.py" line="277" />
            <source>Red</source>
            <translation>Rouge</translation>
        </message>
        <message>
            <location filename="../widgets/filter_editor.py" line="277" />
            <source>Green</source>
            <translation>Vert</translation>
        </message>
        <message>
            <location filename="../widgets/filter_editor.py" line="277" />
            <source>Blue</source>
            <translation>Bleu</translation>
        </message>
        <message>
            <location filename="../widgets/filter_editor.py" line="280" />
            <source>Edit the slice applied to the {0} channel</source>
            <translation>Modifier la tranche appliquée au canal {0}</translation>
        </message>
    </context>
    <context>
        <name>PaddingComparison</name>
        <message>
            <location filename="../widgets/compare.py" line="135" />
            <source>&lt;b&gt;Padding decides the size of the feature map.&lt;/b&gt; Same image, same filter, stride 1, drawn at the same scale: &lt;i&gt;valid&lt;/i&gt; keeps only the positions where the filter fits (N - K + 1), &lt;i&gt;same&lt;/i&gt; adds just enough zeros to keep the size (N), &lt;i&gt;full&lt;/i&gt; adds K - 1 zeros on each side (N + K - 1).</source>
            <translation>&lt;b&gt;Le remplissage (padding) décide de la taille de la carte de caractéristiques.&lt;/b&gt; Même image, même filtre, pas 1, dessinés à la même échelle : &lt;i&gt;valid&lt;/i&gt; ne garde que les positions où le filtre tient (N - K + 1), &lt;i&gt;same&lt;/i&gt; ajoute juste assez de zéros pour garder la taille (N), &lt;i&gt;full&lt;/i&gt; ajoute K - 1 zéros de chaque côté (N + K - 1).</translation>
        </message>
        <message>
            <location filename="../widgets/compare.py" line="144" />
            <source>&lt;b&gt;How many outputs read each pixel.&lt;/b&gt; Without padding a K × K filter reads the centre K² times but the corners once and the edges 1 to K times: shapes on the border count less. Full padding gives every pixel the same weight, K² readings.</source>
            <translation>&lt;b&gt;Combien de sorties lisent chaque pixel.&lt;/b&gt; Sans remplissage, un filtre K × K lit le centre K² fois, mais les coins une fois et les bords de 1 à K fois : les formes au bord comptent moins. Le remplissage full donne à chaque pixel le même poids, K² lectures.</translation>
        </message>
        <message>
            <location filename="../widgets/compare.py" line="153" />
            <source>Input</source>
            <translation>Entrée</translation>
        </message>
        <message>
            <location filename="../widgets/compare.py" line="167" />
            <source>One colour scale for the three feature maps</source>
            <translation>Une seule échelle de couleurs pour les trois cartes</translation>
        </message>
        <message>
            <location filename="../widgets/compare.py" line="172" />
            <source>{0}: readings per pixel</source>
            <translation>{0} : lectures par pixel</translation>
        </message>
        <message>
            <location filename="../widgets/compare.py" line="181" />
            <source>corner {0}×, edge {1}×, centre {2}×</source>
            <translation>coin {0}×, bord {1}×, centre {2}×</translation>
        </message>
    </context>
    <context>
        <name>PoolVsStride</name>
        <message>
            <location filename="../widgets/compare.py" line="237" />
            <source>max-pooling</source>
            <translation>max-pooling</translation>
        </message>
        <message>
            <location filename="../widgets/compare.py" line="238" />
            <source>min-pooling</source>
            <translation>min-pooling</translation>
        </message>
        <message>
            <location filename="../widgets/compare.py" line="239" />
            <source>average pooling</source>
            <translation>pooling moyen</translation>
        </message>
        <message>
            <location filename="../widgets/compare.py" line="243" />
            <source>&lt;b&gt;Two ways to shrink a feature map&lt;/b&gt;, drawn at the same scale. Convolution with stride 1 then ReLU, followed by {0} {1} × {1} with stride {2} (it looks at every position and keeps one answer per window); or the convolution computed directly with stride {2} (it skips positions and can miss a detection that falls between two of them). The lesson says the second can replace the first without losing accuracy: &lt;b&gt;Train both&lt;/b&gt; tests it.</source>
            <translation>&lt;b&gt;Deux façons de réduire une carte de caractéristiques&lt;/b&gt;, dessinées à la même échelle. Convolution de pas 1 puis ReLU, suivie d'un {0} {1} × {1} de pas {2} (il regarde chaque position et garde une réponse par fenêtre) ; ou la convolution calculée directement avec un pas de {2} (elle saute des positions et peut manquer une détection qui tombe entre deux). La leçon dit que la seconde peut remplacer la première sans perte d'exactitude : &lt;b&gt;Entraîner les deux&lt;/b&gt; le vérifie.</translation>
        </message>
        <message>
            <location filename="../widgets/compare.py" line="252" />
            <source>... then {0} {1} × {1}, stride {2}</source>
            <translation>... puis {0} {1} × {1}, pas {2}</translation>
        </message>
        <message>
            <location filename="../widgets/compare.py" line="253" />
            <source>Conv stride {0} + ReLU</source>
            <translation>Conv de pas {0} + ReLU</translation>
        </message>
        <message>
            <location filename="../widgets/compare.py" line="256" />
            <source>Input</source>
            <translation>Entrée</translation>
        </message>
        <message>
            <location filename="../widgets/compare.py" line="267" />
            <source>One colour scale for the three maps</source>
            <translation>Une seule échelle de couleurs pour les trois cartes</translation>
        </message>
    </context>
    <context>
        <name>Stepper</name>
        <message>
            <location filename="../widgets/stepper.py" line="150" />
            <source>Speed: 1 step/s</source>
            <translation>Vitesse : 1 étape/s</translation>
        </message>
        <message>
            <location filename="../widgets/stepper.py" line="150" />
            <source>Speed: {0} steps/s</source>
            <translation>Vitesse : {0} étapes/s</translation>
        </message>
        <message>
            <location filename="../widgets/stepper.py" line="159" />
            <source>Step {0} / {1}</source>
            <translation>Étape {0} / {1}</translation>
        </message>
        <message>
            <location filename="../widgets/stepper.py" line="164" />
            <source>Step back (Left)</source>
            <translation>Étape précédente (Gauche)</translation>
        </message>
        <message>
            <location filename="../widgets/stepper.py" line="166" />
            <source>Step forward (Right)</source>
            <translation>Étape suivante (Droite)</translation>
        </message>
    </context>
    <context>
        <name>TrainBoth</name>
        <message>
            <location filename="../widgets/train_both.py" line="174" />
            <source>Stopping...</source>
            <extracomment>batches (both networks counted) per engine job: a fraction of a second, so that Cancel answers at once training digits used (None: all 4,000; tests use fewer)</extracomment>
            <translation>Arrêt en cours...</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="196" />
            <source>Seed {0} of {1}: training both networks...</source>
            <translation>Graine {0} sur {1} : entraînement des deux réseaux...</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="233" />
            <source>Cancel</source>
            <translation>Annuler</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="233" />
            <source>Train both</source>
            <translation>Entraîner les deux</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="241" />
            <source>Conv + max-pool {0} × {0}</source>
            <translation>Conv + max-pool {0} × {0}</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="242" />
            <source>Conv, stride {0}</source>
            <translation>Conv, pas {0}</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="249" />
            <source>Conv 3 × 3 (8 filters, ReLU), max-pool {0} × {0} with stride {1}, Flatten, Dense 10</source>
            <translation>Conv 3 × 3 (8 filtres, ReLU), max-pool {0} × {0} de pas {1}, Flatten, Dense 10</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="251" />
            <source>Conv 3 × 3 (8 filters, ReLU) with stride {0}, Flatten, Dense 10</source>
            <translation>Conv 3 × 3 (8 filtres, ReLU) de pas {0}, Flatten, Dense 10</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="255" />
            <source>Train both: does the stride lose accuracy?</source>
            <translation>Entraîner les deux : le pas fait-il perdre en exactitude ?</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="256" />
            <source>Epochs</source>
            <translation>Époques</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="257" />
            <source>Seeds</source>
            <translation>Graines</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="260" />
            <source>Trains the two networks on the 4,000 shipped digits (8 filters 3 × 3, ReLU, then Dense 10) with the same seeds, batches and epochs, and tests them on 1,000 other digits.</source>
            <translation>Entraîne les deux réseaux sur les 4 000 chiffres fournis (8 filtres 3 × 3, ReLU, puis Dense 10) avec les mêmes graines, lots et époques, et les teste sur 1 000 autres chiffres.</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="272" />
            <source>Parameters</source>
            <translation>Paramètres</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="272" />
            <source>Test accuracy</source>
            <translation>Exactitude (test)</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="272" />
            <source>Per seed</source>
            <translation>Par graine</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="272" />
            <source>Training time</source>
            <translation>Temps d'entraînement</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="281" />
            <source>The engine failed: {0}</source>
            <translation>Le moteur a échoué : {0}</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="285" />
            <source>Stopped: 1 seed done.</source>
            <translation>Arrêté : 1 graine terminée.</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="287" />
            <source>Stopped: {0} seeds done.</source>
            <translation>Arrêté : {0} graines terminées.</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="300" />
            <source>{0} s</source>
            <translation>{0} s</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="317" />
            <source>Press &lt;b&gt;Train both&lt;/b&gt;: a short run (a few seconds per seed and epoch) measures it here.</source>
            <translation>Appuyez sur &lt;b&gt;Entraîner les deux&lt;/b&gt; : un court entraînement (quelques secondes par graine et par époque) le mesure ici.</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="319" />
            <source>1 seed</source>
            <translation>1 graine</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="319" />
            <source>{0} seeds</source>
            <translation>{0} graines</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="321" />
            <source>the strided network trained {0}× faster</source>
            <translation>le réseau à grand pas s'est entraîné {0}× plus vite</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="323" />
            <source>the strided network trained {0}× slower</source>
            <translation>le réseau à grand pas s'est entraîné {0}× plus lentement</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="325" />
            <source>Measured over {0}: max-pool {1}, stride {2} ({3} points).</source>
            <translation>Mesuré sur {0} : max-pool {1}, pas {2} ({3} points).</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="330" />
            <source>The difference is within the variation between seeds (±{0} points): on these digits the stride loses no accuracy that this measurement can see, as the lesson says, and {1}. A smaller difference would take more seeds or epochs to show.</source>
            <translation>L'écart reste dans la variation d'une graine à l'autre (±{0} points) : sur ces chiffres, le pas ne fait perdre aucune exactitude que cette mesure puisse voir, comme le dit la leçon, et {1}. Un écart plus petit demanderait plus de graines ou d'époques pour apparaître.</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="336" />
            <source>Max-pooling is ahead by more than the variation between seeds (±{0} points): here the lesson's «sans perte de précision» does not hold exactly; in exchange {1}.</source>
            <translation>Le max-pooling a une avance plus grande que la variation d'une graine à l'autre (±{0} points) : ici, la promesse de la leçon, remplacer le pooling par un pas plus grand sans rien perdre en exactitude, ne se vérifie pas tout à fait ; en échange, {1}.</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="341" />
            <source>The strided network is ahead by more than the variation between seeds (±{0} points): replacing conv + max-pool by a larger stride lost nothing here, and {1}.</source>
            <translation>Le réseau à grand pas a une avance plus grande que la variation d'une graine à l'autre (±{0} points) : remplacer conv + max-pooling par un pas plus grand n'a rien fait perdre ici, et {1}.</translation>
        </message>
        <message>
            <location filename="../widgets/train_both.py" line="345" />
            <source>With one seed the variation is unknown: add seeds for a firmer answer.</source>
            <translation>Avec une seule graine, la variation est inconnue : ajoutez des graines pour une réponse plus sûre.</translation>
        </message>
    </context>
</TS>