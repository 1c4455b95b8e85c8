<?xml version='1.0' encoding='utf-8'?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AugmentPanel</name>
    <message>
        <location filename="../widgets/train_augment.py" line="+264" />
        <source>original</source>
        <extracomment>random variants shown beside the original image (key, maximum, step, decimals) of the numeric settings, in the lesson's order</extracomment>
        <translation>originale</translation>
    </message>
    <message>
        <location line="+1" />
        <source>variant {i}</source>
        <translation>variante {i}</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Fill mode</source>
        <translation>Remplissage des bords</translation>
    </message>
    <message>
        <location line="-12" />
        <source>Random changes</source>
        <translation>Transformations aléatoires</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The settings of the lesson's ImageDataGenerator</source>
        <translation>Les réglages de l'ImageDataGenerator de la leçon</translation>
    </message>
    <message>
        <location line="+1" />
        <source>One image, five variants</source>
        <translation>Une image, cinq variantes</translation>
    </message>
    <message>
        <location line="+2" />
        <source>One training image and five random variants, as training draws them</source>
        <translation>Une image d'entraînement et cinq variantes aléatoires, tirées comme pendant l'entraînement</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Rotation</source>
        <translation>Rotation</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Width shift</source>
        <translation>Décalage en largeur</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Height shift</source>
        <translation>Décalage en hauteur</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Shear</source>
        <translation>Cisaillement</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Zoom</source>
        <translation>Zoom</translation>
    </message>
    <message>
        <location line="+5" />
        <source>rotation_range: each image turns by a random angle up to this, in degrees</source>
        <translation>rotation_range : chaque image tourne d'un angle aléatoire jusqu'à cette valeur, en degrés</translation>
    </message>
    <message>
        <location line="+3" />
        <source>width_shift_range: a random shift up to this fraction of the width</source>
        <translation>width_shift_range : un décalage aléatoire jusqu'à cette fraction de la largeur</translation>
    </message>
    <message>
        <location line="+3" />
        <source>height_shift_range: a random shift up to this fraction of the height</source>
        <translation>height_shift_range : un décalage aléatoire jusqu'à cette fraction de la hauteur</translation>
    </message>
    <message>
        <location line="+3" />
        <source>shear_range, in degrees (as Keras reads it): the lesson's 0.2 is a very slight shear</source>
        <translation>shear_range, en degrés (comme le lit Keras) : le 0,2 de la leçon est un cisaillement très léger</translation>
    </message>
    <message>
        <location line="+2" />
        <source>zoom_range: a random zoom between 1 - z and 1 + z</source>
        <translation>zoom_range : un zoom aléatoire entre 1 - z et 1 + z</translation>
    </message>
    <message>
        <location line="+1" />
        <source>fill_mode: how the pixels that come from outside the image are filled</source>
        <translation>fill_mode : comment sont remplis les pixels qui viennent de l'extérieur de l'image</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Horizontal flip</source>
        <translation>Symétrie horizontale</translation>
    </message>
    <message>
        <location line="+1" />
        <source>horizontal_flip: one image in two is mirrored left to right</source>
        <translation>horizontal_flip : une image sur deux est retournée de gauche à droite</translation>
    </message>
    <message>
        <location line="+2" />
        <source>nearest (repeat the edge pixel)</source>
        <translation>nearest (répète le pixel du bord)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>constant (black)</source>
        <translation>constant (noir)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>reflect (mirror)</source>
        <translation>reflect (miroir)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>wrap (tile the image)</source>
        <translation>wrap (répète l'image en mosaïque)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The lesson's values</source>
        <translation>Les valeurs de la leçon</translation>
    </message>
    <message>
        <location line="+2" />
        <source>rotation 40, shifts 0.2, shear 0.2, zoom 0.2, horizontal flip, fill nearest</source>
        <translation>rotation 40, décalages 0,2, cisaillement 0,2, zoom 0,2, symétrie horizontale, remplissage nearest</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Gentle (for digits)</source>
        <translation>Léger (pour les chiffres)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Small changes that keep a digit readable, no flip</source>
        <translation>De petites transformations qui gardent un chiffre lisible, sans symétrie</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Use when training</source>
        <translation>Utiliser à l'entraînement</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Augment every training batch with these settings</source>
        <translation>Augmenter chaque lot d'entraînement avec ces réglages</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Other image</source>
        <translation>Autre image</translation>
    </message>
    <message>
        <location line="-1" />
        <source>New draws</source>
        <translation>Nouveaux tirages</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Each training batch gets new random changes, so the network rarely sees the same image twice. A flip suits photos; on digits a mirrored 2 is no longer a 2.</source>
        <translation>Chaque lot d'entraînement reçoit de nouvelles transformations aléatoires : le réseau voit rarement deux fois la même image. Une symétrie convient aux photos ; sur des chiffres, un 2 vu dans un miroir n'est plus un 2.</translation>
    </message>
</context>
<context>
    <name>LessonDock</name>
    <message>
        <location filename="../widgets/lesson_nav.py" line="+286" />
        <source>Lesson</source>
        <translation>Leçon</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Lesson panel</source>
        <translation>Panneau de la &amp;leçon</translation>
    </message>
</context>
<context>
    <name>LessonMixin</name>
    <message>
        <location filename="../window_lesson.py" line="+78" />
        <source>The view could not be opened: {0}</source>
        <translation>La vue n'a pas pu être ouverte : {0}</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Lesson {i}/{n}: {title}</source>
        <translation>Leçon {i}/{n} : {title}</translation>
    </message>
</context>
<context>
    <name>LessonNavigator</name>
    <message>
        <location filename="../widgets/lesson_nav.py" line="-87" />
        <location line="+28" />
        <source>Shown in the {tab} tab</source>
        <extracomment>where the current section is remembered between sessions whether the learner keeps the panel open (absent: open on windows at least :data:`WIDE_WINDOW` wide) below this window width the panel starts closed: the tabs need the room (the Lesson menu opens it)</extracomment>
        <translation>Montré dans l'onglet {tab}</translation>
    </message>
    <message>
        <location line="-26" />
        <source>&lt;b&gt;Look at:&lt;/b&gt; {look}</source>
        <translation>&lt;b&gt;Regardez :&lt;/b&gt; {look}</translation>
    </message>
    <message>
        <location line="+5" />
        <source>This version of ConvScope has no view for this section yet: the {tab} tab is open, but it cannot set up “{title}”. The claim above still holds.</source>
        <translation>Cette version de ConvScope n'a pas encore de vue pour cette section : l'onglet {tab} est ouvert, mais il ne sait pas encore montrer « {title} ». L'affirmation ci-dessus reste vraie.</translation>
    </message>
    <message>
        <location line="+7" />
        <source>The view could not be opened: {reason}</source>
        <translation>La vue n'a pas pu être ouverte : {reason}</translation>
    </message>
    <message>
        <location line="+16" />
        <source>◀ Previous</source>
        <translation>◀ Précédente</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The previous section, and its view</source>
        <translation>La section précédente, et sa vue</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Next ▶</source>
        <translation>Suivante ▶</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The next section, and its view</source>
        <translation>La section suivante, et sa vue</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Show me</source>
        <translation>Montre-moi</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open the view that shows this claim, set up to show it</source>
        <translation>Ouvrir la vue qui montre cette affirmation, réglée pour la montrer</translation>
    </message>
</context>
<context>
    <name>LessonStateMixin</name>
    <message>
        <location filename="../window_state.py" line="+51" />
        <source>Save lesson state</source>
        <translation>Enregistrer l'état de la leçon</translation>
    </message>
    <message>
        <location line="+0" />
        <location line="+66" />
        <source>Lesson state (*.json)</source>
        <translation>État de la leçon (*.json)</translation>
    </message>
    <message>
        <location line="-62" />
        <source>Also save the model's weights (a .weights.npz file beside it)</source>
        <translation>Enregistrer aussi les poids du modèle (un fichier .weights.npz à côté)</translation>
    </message>
    <message>
        <location line="+36" />
        <source>Cannot save the lesson state: {0}</source>
        <translation>Impossible d'enregistrer l'état de la leçon : {0}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Lesson state saved to {0}</source>
        <translation>État de la leçon enregistré dans {0}</translation>
    </message>
    <message>
        <location line="+7" />
        <source>(no model yet: no weights saved)</source>
        <translation>(pas encore de modèle : aucun poids enregistré)</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Cannot save the weights: {0}</source>
        <translation>Impossible d'enregistrer les poids : {0}</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Saving the lesson state and the weights...</source>
        <translation>Enregistrement de l'état de la leçon et des poids…</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Open lesson state</source>
        <translation>Ouvrir l'état de la leçon</translation>
    </message>
    <message>
        <location line="+19" />
        <source>Cannot open the lesson state: {0}</source>
        <translation>Impossible d'ouvrir l'état de la leçon : {0}</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Lesson state loaded from {0}</source>
        <translation>État de la leçon chargé depuis {0}</translation>
    </message>
    <message>
        <location line="+38" />
        <source>Cannot load the saved weights: {0}</source>
        <translation>Impossible de charger les poids enregistrés : {0}</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Cannot rebuild the saved network: {0}</source>
        <translation>Impossible de reconstruire le réseau enregistré : {0}</translation>
    </message>
</context>
</TS>