"""The lesson the app teaches, section by section: ids, titles and claims in English and French, and the tab
that demonstrates each claim.

Qt-free data (``convscope --lessons`` lists it without loading Qt). The order is the lesson's (its sections:
Convolution, Couche de convolutions, Pooling, Padding, Stride, Architecture, Flatten, En pratique, Transfer
learning, Augmenter les données), with the colour channels after the convolution. The claims follow the lesson
and correct its two slips: the convolution's index is ``Y(i-m, j-n)``, and 'same' padding adds K-1 zeros in
total at stride 1 (not a border of K/2-1).

The tabs set their view up through the hook of the lesson contract::

    tab.show_lesson(section_id) -> bool   # True: the claim is on screen; False: this tab has no such view
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "LANGUAGES",
    "SECTIONS",
    "SECTION_IDS",
    "Section",
    "index_of",
    "listing",
    "next_id",
    "previous_id",
    "section",
]

#: the languages every text below is written in
LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Section:
    """One claim of the lesson.

    Attributes
    ----------
    id : the section's id (``--lesson ID``, ``show_lesson(ID)``).
    tab : the name of the tab that demonstrates it (see :data:`gui.tabs.TABS`).
    titles, claims, looks : ``{"en": ..., "fr": ...}``: the title, the claim in two or three sentences, and
        what to look at once the view is open.
    """

    id: str
    tab: str
    titles: dict[str, str]
    claims: dict[str, str]
    looks: dict[str, str]

    def title(self, lang: str = "en") -> str:
        return self.titles[_lang(lang)]

    def claim(self, lang: str = "en") -> str:
        return self.claims[_lang(lang)]

    def look(self, lang: str = "en") -> str:
        return self.looks[_lang(lang)]


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


#: French typography: a narrow no-break space before : ; ? ! %, inside « »: no line starts with them
_FRENCH_SPACES = (
    (" :", "\u202f:"),
    (" ;", "\u202f;"),
    (" ?", "\u202f?"),
    (" !", "\u202f!"),
    (" %", "\u202f%"),
    ("« ", "«\u202f"),
    (" »", "\u202f»"),
)


def _p(text: str, lang: str) -> str:
    """One paragraph: line breaks and indentation folded into single spaces (French spacing for ``"fr"``)."""
    out = re.sub(r"[ \t\n]+", " ", text).strip()
    if lang == "fr":
        for plain, fixed in _FRENCH_SPACES:
            out = out.replace(plain, fixed)
    return out


def _s(sid: str, tab: str, title: tuple[str, str], claim: tuple[str, str], look: tuple[str, str]) -> Section:
    def both(pair: tuple[str, str]) -> dict[str, str]:
        return {lang: _p(text, lang) for lang, text in zip(LANGUAGES, pair, strict=True)}

    return Section(sid, tab, both(title), both(claim), both(look))


SECTIONS: tuple[Section, ...] = (
    _s(
        "convolution",
        "convolution",
        ("Convolution", "Convolution"),
        (
            """
            A convolution multiplies a window of the image by the filter, element by element, and adds
            the products: the lesson's line [0,0,0,1,1,1,0,0,0] against the horizontal-line filter
            [-1,-1,-1,2,2,2,-1,-1,-1] gives 6. The filter slides over the image from top to bottom and
            left to right; each sum is one cell of the feature map, the larger the more the window looks
            like the filter. The textbook formula flips the filter, Z(i, j) = Σ X(m, n) Y(i-m, j-n);
            networks compute the cross-correlation, without the flip, which comes to the same for
            learned filters.
            """,
            """
            Une convolution multiplie une fenêtre de l'image par le filtre, élément par élément, et
            additionne les produits : la ligne de la leçon [0,0,0,1,1,1,0,0,0] et le filtre « trait
            horizontal » [-1,-1,-1,2,2,2,-1,-1,-1] donnent 6. Le filtre glisse sur l'image de haut en
            bas et de gauche à droite ; chaque somme est une case de la carte de caractéristiques,
            d'autant plus grande que la fenêtre ressemble au filtre. La définition retourne le filtre,
            Z(i, j) = Σ X(m, n) Y(i-m, j-n) ; les réseaux calculent la corrélation croisée, sans
            retournement, ce qui revient au même pour des filtres appris.
            """,
        ),
        (
            """
            The written sum under the grids: each product of the window and the filter, and their total.
            """,
            """
            La somme écrite sous les grilles : chaque produit de la fenêtre par le filtre, et leur
            total.
            """,
        ),
    ),
    _s(
        "channels",
        "convolution",
        ("Channels (RGB)", "Canaux (RVB)"),
        (
            """
            A colour image has three channels, so a filter that slides over it is three K x K slices,
            one per channel (red, green, blue). Each slice gives a partial sum over its channel; the
            three partial sums plus the bias make one output cell: one filter gives one feature map,
            whatever the number of input channels. So the lesson's first layer, Conv2D(32, (3, 3)) on 32
            x 32 x 3 images, holds 32 x (3 x 3 x 3 + 1) = 896 parameters.
            """,
            """
            Une image en couleur a trois canaux : un filtre qui la parcourt est donc fait de trois
            tranches K × K, une par canal (rouge, vert, bleu). Chaque tranche donne une somme partielle
            sur son canal ; les trois sommes partielles plus le biais font une seule case de sortie : un
            filtre donne une seule carte de caractéristiques, quel que soit le nombre de canaux
            d'entrée. La première couche de la leçon, Conv2D(32, (3, 3)) sur des images 32 × 32 × 3,
            compte donc 32 × (3 × 3 × 3 + 1) = 896 paramètres.
            """,
        ),
        (
            """
            The three windows, the three slices and their partial sums, which add up (with the bias) to
            the output cell.
            """,
            """
            Les trois fenêtres, les trois tranches et leurs sommes partielles, dont le total (plus le
            biais) donne la case de sortie.
            """,
        ),
    ),
    _s(
        "relu",
        "convolution",
        ("ReLU", "ReLU"),
        (
            """
            After the filter, the feature map goes through an activation function. ReLU keeps the
            positive values and sets the negative ones to zero, max(0, x): only the places where the
            filter found its pattern remain.
            """,
            """
            Après le filtre, la carte de caractéristiques passe par une fonction d'activation. ReLU
            garde les valeurs positives et met les valeurs négatives à zéro, max(0, x) : il ne reste que
            les endroits où le filtre a trouvé son motif.
            """,
        ),
        (
            """
            The feature map (blue cells are negative) beside the same map after ReLU, where every blue
            cell became 0.
            """,
            """
            La carte de caractéristiques (les cases bleues sont négatives) à côté de la même carte après
            ReLU, où chaque case bleue vaut 0.
            """,
        ),
    ),
    _s(
        "layers",
        "network",
        ("Convolution layers", "Couches de convolution"),
        (
            """
            One convolution layer alone does little; stacked, layers learn more and more complex shapes.
            The first layer detects simple lines and curves, the next one combines them into parts (an
            eye, a nose), and the third assembles the parts into whole objects (faces, in the lesson's
            example).
            """,
            """
            Une couche de convolution seule ne fait pas grand-chose ; empilées, les couches apprennent
            des formes de plus en plus complexes. La première détecte des traits et des courbes simples,
            la suivante les associe en parties (un œil, un nez), et la troisième rassemble les parties
            en objets entiers (des visages, dans l'exemple de la leçon).
            """,
        ),
        (
            """
            For each conv layer, the image patches that excite each channel most: short strokes first,
            larger shapes deeper.
            """,
            """
            Pour chaque couche de convolution, les morceaux d'image qui excitent le plus chaque canal :
            des traits courts d'abord, des formes plus grandes ensuite.
            """,
        ),
    ),
    _s(
        "pooling",
        "convolution",
        ("Pooling", "Pooling (regroupement)"),
        (
            """
            Pooling shrinks the map: it groups the pixels, usually 2 x 2, and keeps their maximum,
            minimum or mean, so a 2 x 2 pooling halves the height and the width. The filters keep their
            size: on the smaller map they cover a larger part of the image, and there is less to
            compute.
            """,
            """
            Le pooling (regroupement) réduit la carte : il regroupe les pixels, en général par 2 × 2, et
            garde leur maximum, leur minimum ou leur moyenne ; un pooling 2 × 2 divise la hauteur et la
            largeur par deux. Les filtres gardent leur taille : sur la carte réduite, ils couvrent une
            plus grande partie de l'image, et il y a moins de calculs.
            """,
        ),
        (
            """
            The pooling stepper: each 2 x 2 window of the map and the one value it keeps.
            """,
            """
            Le pas à pas du pooling : chaque fenêtre 2 × 2 de la carte et la seule valeur qu'elle garde.
            """,
        ),
    ),
    _s(
        "invariance",
        "network",
        ("Translation invariance", "Invariance par translation"),
        (
            """
            Shrinking the image throws away part of the position information: after a max-pooling, a
            pattern moved by a pixel often gives the same output. So a CNN tends to detect a feature
            wherever it is in the image: what matters is that it is there, not where.
            """,
            """
            En réduisant l'image, on perd une partie de l'information de position : après un
            max-pooling, un motif décalé d'un pixel donne souvent la même sortie. Un CNN a donc tendance
            à détecter une caractéristique où qu'elle soit dans l'image : ce qui compte, c'est qu'elle
            soit là, pas où.
            """,
        ),
        (
            """
            How the outputs change as the image moves: less and less after each pooling.
            """,
            """
            Comment les sorties changent quand l'image se déplace : de moins en moins après chaque
            pooling.
            """,
        ),
    ),
    _s(
        "padding",
        "convolution",
        ("Padding", "Remplissage (padding)"),
        (
            """
            Without padding ('valid') the filter stays inside the image: the map is N-K+1 cells wide,
            and a border pixel is seen by 1 to K windows against K² in the centre. 'full' adds K-1 zeros
            on each side, so that every pixel is seen K² times, and the map grows to N+K-1. 'same' keeps
            the size N: at stride 1 it adds K-1 zeros in total, (K-1)/2 on each side for an odd K (a
            border of K/2-1, as the lesson writes, would not keep N).
            """,
            """
            Sans remplissage (« valid »), le filtre reste dans l'image : la carte fait N-K+1 cases de
            côté, et un pixel du bord n'est vu que par 1 à K fenêtres, contre K² au centre. « full »
            ajoute K-1 zéros de chaque côté, pour que chaque pixel soit vu K² fois, et la carte grandit
            jusqu'à N+K-1. « same » garde la taille N : au pas 1, il ajoute K-1 zéros au total, soit
            (K-1)/2 de chaque côté pour un K impair (une bordure de K/2-1, comme l'écrit la leçon, ne
            garderait pas N).
            """,
        ),
        (
            """
            The three maps side by side at one cell size: N-K+1, N and N+K-1 cells.
            """,
            """
            Les trois cartes côte à côte, à la même taille de case : N-K+1, N et N+K-1 cases.
            """,
        ),
    ),
    _s(
        "stride",
        "convolution",
        ("Stride", "Pas (stride)"),
        (
            """
            The stride is how far the filter moves at each step: the larger the stride, the smaller the
            map (ceil(N/s) cells with 'same'). The lesson says that a convolution followed by a max-pool
            can be replaced by a single convolution with a larger stride, without losing accuracy:
            compare the two maps, then train both networks and measure it.
            """,
            """
            Le pas (stride) est le déplacement du filtre à chaque étape : plus le pas est grand, plus la
            carte est petite (⌈N/s⌉ cases avec « same »). La leçon affirme qu'une convolution suivie
            d'un max-pooling peut être remplacée par une seule convolution de pas plus grand, sans perte
            d'exactitude : comparez les deux cartes, puis entraînez les deux réseaux pour le mesurer.
            """,
        ),
        (
            """
            Convolution then pooling beside a convolution of stride 2: two maps of the same size.
            """,
            """
            Une convolution suivie d'un pooling à côté d'une convolution de pas 2 : deux cartes de même
            taille.
            """,
        ),
    ),
    _s(
        "architecture",
        "network",
        ("Architecture", "Architecture"),
        (
            """
            A CNN starts with a convolutional base, a series of convolutions (and poolings) that detects
            the features present in the image. Its result goes to a dense head, a classic neural network
            that combines the features found to classify the image.
            """,
            """
            Un CNN commence par une base convolutionnelle, une suite de convolutions (et de poolings)
            qui détecte les caractéristiques présentes dans l'image. Son résultat passe dans une tête
            dense, un réseau de neurones classique qui associe les caractéristiques trouvées pour
            classer l'image.
            """,
        ),
        (
            """
            The layers as columns: the convolutional base on the left, then the dense head and the
            classes.
            """,
            """
            Les couches en colonnes : la base convolutionnelle à gauche, puis la tête dense et les
            classes.
            """,
        ),
    ),
    _s(
        "flatten",
        "network",
        ("Flatten vs GlobalMaxPooling", "Flatten ou GlobalMaxPooling"),
        (
            """
            The base returns H x W x C values and the dense head expects a vector. Flatten lays them all
            end to end (H x W x C values) and so needs a fixed input size; GlobalMaxPooling keeps one
            maximum per channel (C values) and takes any size, but loses where each feature was. When
            you control the size of the input images, Flatten performs better.
            """,
            """
            La base renvoie H × W × C valeurs alors que la tête dense attend un vecteur. Flatten les met
            toutes bout à bout (H × W × C valeurs) et exige donc une taille d'entrée fixe ;
            GlobalMaxPooling garde un maximum par canal (C valeurs) et accepte toute taille, mais perd
            la position de chaque caractéristique. Si l'on contrôle la taille des images en entrée,
            Flatten donne de meilleurs résultats.
            """,
        ),
        (
            """
            The same features turned into a vector both ways, and what each does with a larger image.
            """,
            """
            Les mêmes caractéristiques mises en vecteur des deux façons, et ce que chacune fait d'une
            image plus grande.
            """,
        ),
    ),
    _s(
        "hyperparameters",
        "training",
        ("Hyper-parameters", "Hyperparamètres"),
        (
            """
            The filters are learned by gradient descent, like the weights of a dense network; you choose
            the hyper-parameters: the learning rate, the filter size (typically 3 x 3, 5 x 5 or 7 x 7),
            the number of layers and the number of units in each (typically 32 → 64 → 128 → 128). Too
            many halvings raise an error: a 2 x 2 image cannot be halved four times.
            """,
            """
            Les filtres s'apprennent par descente de gradient, comme les poids d'un réseau dense ; c'est
            à vous de choisir les hyperparamètres : le taux d'apprentissage, la taille des filtres
            (typiquement 3 × 3, 5 × 5 ou 7 × 7), le nombre de couches et le nombre d'unités de chacune
            (typiquement 32 → 64 → 128 → 128). Trop de réductions lèvent une erreur : une image 2 × 2 ne
            peut pas être divisée par deux quatre fois.
            """,
        ),
        (
            """
            The hyper-parameters in the left column; the Network tab generates a network from yours.
            """,
            """
            Les hyperparamètres dans la colonne de gauche ; l'onglet Réseau génère un réseau à partir
            des vôtres.
            """,
        ),
    ),
    _s(
        "training",
        "training",
        ("Training", "Entraînement"),
        (
            """
            Training shows the network the images batch after batch and moves every weight, filters
            included, against the gradient of the loss. The loss falls and the accuracy rises, on the
            training images and on validation images the network never learns from: the lesson's
            fit(..., epochs=4, validation_data=...).
            """,
            """
            L'entraînement présente les images au réseau lot par lot et déplace chaque poids, filtres
            compris, dans le sens opposé au gradient de la perte. La perte baisse et l'exactitude
            (accuracy) monte, sur les images d'entraînement comme sur des images de validation dont le
            réseau n'apprend jamais : c'est le fit(..., epochs=4, validation_data=...) de la leçon.
            """,
        ),
        (
            """
            The live curves of loss and accuracy, and the first layer's filters as they learn.
            """,
            """
            Les courbes de perte et d'exactitude en direct, et les filtres de la première couche pendant
            qu'ils apprennent.
            """,
        ),
    ),
    _s(
        "transfer",
        "training",
        ("Transfer learning", "Apprentissage par transfert"),
        (
            """
            Convolutions are much alike from one model to another (a line detector stays a line
            detector), so you can reuse the base of a model already trained and retrain only the last
            layers. When the new task is a subset of the old classes, the convolutions stay frozen and
            only the dense head is retrained: faster than training from scratch.
            """,
            """
            Les convolutions se ressemblent d'un modèle à l'autre (un détecteur de traits reste un
            détecteur de traits) : on peut réutiliser la base d'un modèle déjà entraîné et ne
            réentraîner que les dernières couches. Si la nouvelle tâche porte sur un sous-ensemble des
            classes, les convolutions restent figées et seule la tête dense est réentraînée : c'est plus
            rapide qu'un entraînement depuis zéro.
            """,
        ),
        (
            """
            Run the experiment: a frozen base with a new head against the same network trained from
            scratch, epoch by epoch.
            """,
            """
            Lancez l'expérience : une base figée avec une nouvelle tête contre le même réseau entraîné
            depuis zéro, époque par époque.
            """,
        ),
    ),
    _s(
        "augmentation",
        "training",
        ("Data augmentation", "Augmentation des données"),
        (
            """
            With a small data set, make new images from the ones you have: rotate, shift, shear, zoom,
            flip. The lesson's ImageDataGenerator draws for each image a rotation of up to 40°, shifts
            of up to 20 % of the width and height, a shear of up to 0.2° (Keras reads it in degrees:
            almost nothing), a zoom of ±20 % and a horizontal flip one time in two, and fills the
            uncovered pixels with the nearest edge pixel.
            """,
            """
            Avec un petit jeu de données, on fabrique de nouvelles images à partir des images existantes
            : rotation, décalage, cisaillement, zoom, symétrie. L'ImageDataGenerator de la leçon tire
            pour chaque image une rotation jusqu'à 40°, des décalages jusqu'à 20 % de la largeur et de
            la hauteur, un cisaillement jusqu'à 0,2° (Keras le lit en degrés : presque rien), un zoom de
            ±20 % et une symétrie horizontale une fois sur deux, et remplit les pixels découverts avec
            le pixel du bord le plus proche.
            """,
        ),
        (
            """
            One training image and five random variants drawn with the lesson's values.
            """,
            """
            Une image d'entraînement et cinq variantes tirées au hasard avec les valeurs de la leçon.
            """,
        ),
    ),
)

SECTION_IDS: tuple[str, ...] = tuple(s.id for s in SECTIONS)
_BY_ID = {s.id: s for s in SECTIONS}


def section(section_id: str) -> Section:
    """The section called ``section_id``; ``ValueError`` listing the valid ids otherwise."""
    found = _BY_ID.get(section_id) if isinstance(section_id, str) else None
    if found is None:
        raise ValueError(f"lesson must be one of {' '.join(SECTION_IDS)}. Received: {section_id!r}")
    return found


def index_of(section_id: str) -> int:
    """Position of the section in the lesson (0-based)."""
    return SECTION_IDS.index(section(section_id).id)


def next_id(section_id: str) -> str | None:
    """The section after ``section_id``, or None at the end of the lesson."""
    i = index_of(section_id) + 1
    return SECTION_IDS[i] if i < len(SECTION_IDS) else None


def previous_id(section_id: str) -> str | None:
    """The section before ``section_id``, or None at the start of the lesson."""
    i = index_of(section_id) - 1
    return SECTION_IDS[i] if i >= 0 else None


def listing(lang: str = "en") -> str:
    """One line per section, ``id  title``, in lesson order: what ``convscope --lessons`` prints."""
    width = max(len(i) for i in SECTION_IDS)
    return "\n".join(f"{s.id:<{width}}  {s.title(lang)}" for s in SECTIONS)
