<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="fr_FR">
<context>
    <name>ArchitecturePanel</name>
    <message>
        <location line="+1" />
        <source>The lesson's network with batch normalization</source>
        <translation>Le réseau de la leçon avec normalisation par lots (batch normalization)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Batch normalization after each convolution</source>
        <translation>Normalisation par lots (batch normalization) après chaque convolution</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Each convolution becomes convolution (no bias) -&gt; BatchNormalization -&gt; ReLU, the block of MobileNetV2: trains faster and tolerates larger learning rates.</source>
        <translation>Chaque convolution devient convolution (sans biais) -&gt; BatchNormalization -&gt; ReLU, le bloc de MobileNetV2 : s'entraîne plus vite et supporte des taux d'apprentissage plus grands.</translation>
    </message>
    </context>
<context>
    <name>ArithmeticPage</name>
    <message>
        <location filename="../widgets/arith_page.py" line="+111" />
        <source>No padding, stride 1</source>
        <extracomment>the first window (input) and the cell it gives (output); the same orange as the step page's</extracomment>
        <translation>Sans remplissage (padding), pas (stride) 1</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Padding P = 2</source>
        <translation>Remplissage (padding) P = 2</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Half (same) padding</source>
        <translation>Demi-remplissage (padding same)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Full padding</source>
        <translation>Remplissage (padding) complet (full)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Stride s = 2</source>
        <translation>Pas (stride) s = 2</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dilation d = 2</source>
        <translation>Dilatation d = 2</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Transposed, stride 2</source>
        <translation>Convolution transposée, pas 2</translation>
    </message>
    <message>
        <location line="+5" />
        <source>The window only goes where it fits.</source>
        <translation>La fenêtre ne va que là où elle tient.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>P zeros on each side: the output grows by 2P.</source>
        <translation>P zéros de chaque côté : la sortie gagne 2P.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>P = floor(K / 2) zeros: the output keeps the input's size.</source>
        <translation>P = floor(K / 2) zéros : la sortie garde la taille de l'entrée.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>P = K - 1: every overlap counts, the output grows.</source>
        <translation>P = K - 1 : chaque recouvrement compte, la sortie grandit.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The window jumps s cells: about N / s outputs.</source>
        <translation>La fenêtre saute de s cases : environ N / s sorties.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Taps d apart: the filter spans d(K - 1) + 1 cells.</source>
        <translation>Coefficients espacés de d : le filtre couvre d(K - 1) + 1 cases.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Each input cell adds x × filter at s-cell steps: the output grows.</source>
        <translation>Chaque case d'entrée ajoute x × filtre, de s en s cases : la sortie grandit.</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&lt;b&gt;Convolution arithmetic&lt;/b&gt; (Dumoulin &amp;amp; Visin's guide), every grid at one cell size. Top: the input as the filter reads it (hatched: padding; orange: the first window). Bottom: the output. Hover a case for its numbers.</source>
        <translation>&lt;b&gt;Arithmétique de la convolution&lt;/b&gt; (le guide de Dumoulin &amp;amp; Visin), toutes les grilles à la même taille de case. En haut : l'entrée telle que le filtre la lit (hachuré : le remplissage (padding) ; orange : la première fenêtre). En bas : la sortie. Survolez un cas pour ses nombres.</translation>
    </message>
    <message>
        <location line="+10" />
        <source>N = {0}, K = {1}, s = {2}, P = {3}</source>
        <translation>N = {0}, K = {1}, s = {2}, P = {3}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>, d = {0}</source>
        <translation>, d = {0}</translation>
    </message>
</context>
<context>
    <name>ConvControls</name>
    <message>
        <location line="+6" />
        <source>Convolution</source>
        <translation>Convolution</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Transposed convolution</source>
        <translation>Convolution transposée</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Convolution: the window slides over the input and sums it into one output cell. Transposed: each input cell scatters x × filter onto a larger output, where the overlaps add up (the convolution's transpose, used to upsample).</source>
        <translation>Convolution : la fenêtre glisse sur l'entrée et en fait la somme dans une case de sortie. Transposée : chaque case d'entrée répand x × filtre sur une sortie plus grande, où les recouvrements s'additionnent (la transposée de la convolution, qui sert à agrandir).</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Dilation d: the filter's taps are d cells apart (atrous convolution). A K × K filter then spans d(K - 1) + 1 cells with the same K² weights: a wider view for no extra weight.</source>
        <translation>Dilatation d : les coefficients du filtre sont espacés de d cases (convolution à trous, atrous). Un filtre K × K couvre alors d(K - 1) + 1 cases avec les mêmes K² poids : une vue plus large sans poids de plus.</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Dilation</source>
        <translation>Dilatation</translation>
    </message>
    </context>
<context>
    <name>ConvolutionTab</name>
    <message>
        <location line="+80" />
        <source>Nothing to compute: {0}</source>
        <translation>Rien à calculer : {0}</translation>
    </message>
    <message>
        <location line="+46" />
        <source>&lt;b&gt;Output: none&lt;/b&gt; (the padding cuts off the whole scatter)</source>
        <translation>&lt;b&gt;Sortie : aucune&lt;/b&gt; (le remplissage (padding) retire toute la dispersion)</translation>
    </message>
    <message>
        <location line="+12" />
        <source>d = {0}: the filter spans d(K - 1) + 1 = {1} cells</source>
        <translation>d = {0} : le filtre couvre d(K - 1) + 1 = {1} cases</translation>
    </message>
    <message>
        <location line="+4" />
        <source>P: the cells cut off the full scatter of (N - 1)s + K</source>
        <translation>P : les cases retirées de la dispersion complète, de taille (N - 1)s + K</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Convolution arithmetic</source>
        <translation>Arithmétique</translation>
    </message>
</context>
<context>
    <name>ConvolutionView</name>
    <message>
        <location line="+11" />
        <source>Taps on the input, {0} cells apart</source>
        <translation>Cases lues sur l'entrée, espacées de {0}</translation>
    </message>
    </context>
<context>
    <name>LayerTable</name>
    <message>
        <location line="+1" />
        <source>Dilation</source>
        <translation>Dilatation</translation>
    </message>
    </context>
<context>
    <name>TransposedView</name>
    <message>
        <location filename="../tabs/convolution_transposed.py" line="+43" />
        <source>Input (each cell scatters onto the output)</source>
        <translation>Entrée (chaque case se répand sur la sortie)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Output of the transposed convolution</source>
        <translation>Sortie de la convolution transposée</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Input cell</source>
        <translation>Case d'entrée</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Filter (rotated 180°)</source>
        <translation>Filtre (tourné de 180°)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Filter</source>
        <translation>Filtre</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Added onto the output</source>
        <translation>Ajouté à la sortie</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Nothing to scatter: {0}</source>
        <translation>Rien à répandre : {0}</translation>
    </message>
    <message>
        <location line="+13" />
        <source>&lt;b&gt;{0} × {1}&lt;/b&gt;, {2} of {3} cells scattered. Hover a cell: where it lands.</source>
        <translation>&lt;b&gt;{0} × {1}&lt;/b&gt;, {2} cases sur {3} répandues. Survolez une case : où elle arrive.</translation>
    </message>
    <message>
        <location line="+16" />
        <source>&lt;b&gt;{0} × {1}&lt;/b&gt; = {2}. Blue &amp;lt; 0 &amp;lt; red. Hover or click a cell: its sum.</source>
        <translation>&lt;b&gt;{0} × {1}&lt;/b&gt; = {2}. Bleu &amp;lt; 0 &amp;lt; rouge. Survolez ou cliquez une case : sa somme.</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Hatched: the {0} × {1} scatter's cells the padding cuts off.</source>
        <translation>Hachuré : les cases de la dispersion {0} × {1} que le remplissage (padding) retire.</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Press &lt;b&gt;Step forward&lt;/b&gt; (Right arrow) or &lt;b&gt;Play&lt;/b&gt; (Space): each input cell in turn adds x × filter onto the output.</source>
        <translation>Appuyez sur &lt;b&gt;Pas suivant&lt;/b&gt; (flèche droite) ou &lt;b&gt;Lecture&lt;/b&gt; (Espace) : chaque case d'entrée, tour à tour, ajoute x × filtre à la sortie.</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Step {0}: input cell ({1}, {2}) = {3} adds {3} × filter at ({4}, {5}) of the scatter</source>
        <translation>Étape {0} : la case d'entrée ({1}, {2}) = {3} ajoute {3} × filtre en ({4}, {5}) de la dispersion</translation>
    </message>
    <message>
        <location line="+16" />
        <source>Hover or click an output cell to see what adds into it.</source>
        <translation>Survolez ou cliquez une case de sortie pour voir ce qui s'y additionne.</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Output cell ({0}, {1}) = the sum of what lands on it</source>
        <translation>Case de sortie ({0}, {1}) = la somme de ce qui y arrive</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Scatter cell ({0}, {1}), cut off by the padding</source>
        <translation>Case ({0}, {1}) de la dispersion, retirée par le remplissage (padding)</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Nothing has landed on this cell yet.</source>
        <translation>Rien n'est encore arrivé sur cette case.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>(so far: {0} more to come from the next steps)</source>
        <translation>(pour l'instant : encore {0} à venir des étapes suivantes)</translation>
    </message>
</context>
</TS>