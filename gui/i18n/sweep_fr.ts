<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>SweepHost</name>
    <message>
        <location filename="../tabs/training_sweep.py" line="+52"/>
        <source>Train one network</source>
        <translation>Entraîner un réseau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sweep: compare many</source>
        <translation>Balayage&#xa0;: en comparer plusieurs</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Train one network per combination of hyper-parameters, several at once, and compare them</source>
        <translation>Entraîner un réseau par combinaison d&apos;hyperparamètres, plusieurs à la fois, et les comparer</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Stop the training in progress before opening another network.</source>
        <translation>Arrêtez l&apos;entraînement en cours avant d&apos;ouvrir un autre réseau.</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Cannot open the trial&apos;s network: {0}</source>
        <translation>Impossible d&apos;ouvrir le réseau de cet essai&#xa0;: {0}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{n} training / {v} validation images, {k} classes (from the sweep)</source>
        <translation>{n} images d&apos;entraînement / {v} de validation, {k} classes (du balayage)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>The Network tab shows the trial&apos;s network ({0}).</source>
        <translation>L&apos;onglet Réseau montre le réseau de l&apos;essai ({0}).</translation>
    </message>
</context>
<context>
    <name>SweepPage</name>
    <message>
        <location filename="../widgets/sweep_page.py" line="+235"/>
        <location line="+195"/>
        <source>validation accuracy</source>
        <translation>exactitude en validation</translation>
    </message>
    <message>
        <location line="-106"/>
        <location line="+100"/>
        <source>Stopping...</source>
        <translation>Arrêt…</translation>
    </message>
    <message>
        <location line="-100"/>
        <location line="+100"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>Only a finished trial has a trained network to open.</source>
        <translation>Seul un essai terminé a un réseau entraîné à ouvrir.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Folder with the CIFAR-10 python batches (data_batch_1 ... test_batch)</source>
        <translation>Dossier des lots CIFAR-10 pour Python (data_batch_1 … test_batch)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folder with one sub-folder per class</source>
        <translation>Dossier contenant un sous-dossier par classe</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Results file of the sweep (an existing one is resumed)</source>
        <translation>Fichier de résultats du balayage (un fichier existant est repris)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sweep results (*.csv)</source>
        <translation>Résultats de balayage (*.csv)</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Run the sweep</source>
        <translation>Lancer le balayage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train every trial listed on the right, several at once</source>
        <translation>Entraîner tous les essais listés à droite, plusieurs à la fois</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop: finished trials stay in the results file, the others run next time</source>
        <translation>Arrêter&#xa0;: les essais terminés restent dans le fichier de résultats, les autres seront lancés la prochaine fois</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Click a column to sort; double-click a finished trial to open it</source>
        <translation>Cliquez sur une colonne pour trier&#xa0;; double-cliquez sur un essai terminé pour l&apos;ouvrir</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Choose the values to compare, then Run the sweep.</source>
        <translation>Choisissez les valeurs à comparer, puis lancez le balayage.</translation>
    </message>
</context>
<context>
    <name>SweepParamsBox</name>
    <message>
        <location filename="../widgets/sweep_params.py" line="+102"/>
        <source>Learning rate</source>
        <translation>Taux d&apos;apprentissage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Optimizer</source>
        <translation>Optimiseur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch size</source>
        <translation>Taille de lot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conv blocks</source>
        <translation>Blocs de convolution</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filters (1st block)</source>
        <translation>Filtres (1er bloc)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter size</source>
        <translation>Taille des filtres</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dense units</source>
        <translation>Neurones denses</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Augmentation</source>
        <translation>Augmentation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pooling</source>
        <translation>Sous-échantillonnage (pooling)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Head</source>
        <translation>Tête</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>Graine</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>light</source>
        <translation>légère</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lesson&apos;s</source>
        <translation>de la leçon</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>max</source>
        <translation>max</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>average</source>
        <translation>moyenne</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stride 2</source>
        <translation>pas de 2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>global max</source>
        <translation>max global</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Hyper-parameters to compare</source>
        <translation>Hyperparamètres à comparer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How big each step of gradient descent is. Several values: 0.001, 0.01</source>
        <translation>La taille de chaque pas de la descente de gradient. Plusieurs valeurs&#xa0;: 0.001, 0.01</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How the gradient moves the weights</source>
        <translation>Comment le gradient déplace les poids</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images per step of gradient descent</source>
        <translation>Images par pas de la descente de gradient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Convolution blocks (convolution, ReLU, then halving the image)</source>
        <translation>Blocs de convolution (convolution, ReLU, puis l&apos;image réduite de moitié)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filters of the first block; each next block doubles them (32 → 64 → 128)</source>
        <translation>Filtres du premier bloc&#xa0;; chaque bloc suivant les double (32 → 64 → 128)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Side of the square filters: 3 for 3 × 3, 5 for 5 × 5, 7 for 7 × 7</source>
        <translation>Côté des filtres carrés&#xa0;: 3 pour 3 × 3, 5 pour 5 × 5, 7 pour 7 × 7</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Units of the hidden dense layer (0: none)</source>
        <translation>Neurones de la couche dense cachée (0&#xa0;: aucune)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Random changes of the training images (none, light, or the lesson&apos;s)</source>
        <translation>Modifications aléatoires des images d&apos;entraînement (aucune, légères, ou celles de la leçon)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How each block halves the image: max or average pooling, or a stride-2 convolution</source>
        <translation>Comment chaque bloc réduit l&apos;image de moitié&#xa0;: pooling max ou moyen, ou une convolution de pas 2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>From the last feature maps to a vector: Flatten or GlobalMaxPooling</source>
        <translation>Des dernières cartes de caractéristiques à un vecteur&#xa0;: Flatten ou GlobalMaxPooling</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Several values separated by commas; for random search also a range LOW..HIGH</source>
        <translation>Plusieurs valeurs séparées par des virgules (point décimal&#xa0;: 0.01)&#xa0;; pour la recherche aléatoire, aussi un intervalle BAS..HAUT</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>default: the optimizer&apos;s</source>
        <translation>par défaut&#xa0;: celui de l&apos;optimiseur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>default: {0}</source>
        <translation>par défaut&#xa0;: {0}</translation>
    </message>
</context>
<context>
    <name>SweepSettings</name>
    <message>
        <location filename="../widgets/sweep_settings.py" line="+192"/>
        <source>no folder chosen</source>
        <translation>aucun dossier choisi</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Search</source>
        <translation>Recherche</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every combination</source>
        <translation>Toutes les combinaisons</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Train one network per combination of the values (a grid)</source>
        <translation>Entraîner un réseau par combinaison des valeurs (une grille)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Random points</source>
        <translation>Points aléatoires</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Train a few combinations drawn at random; numbers may then be ranges LOW..HIGH</source>
        <translation>Entraîner quelques combinaisons tirées au hasard&#xa0;; les nombres peuvent alors être des intervalles BAS..HAUT</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Points</source>
        <translation>Points</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draw</source>
        <translation>Tirage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The same draw number picks the same points (the sweep resumes)</source>
        <translation>Le même numéro de tirage choisit les mêmes points (le balayage reprend)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seeds</source>
        <translation>Graines</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Each point is trained once per seed (initial weights, shuffling): 0, 1, 2</source>
        <translation>Chaque point est entraîné une fois par graine (poids initiaux, mélange)&#xa0;: 0, 1, 2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Epochs</source>
        <translation>Époques</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data</source>
        <translation>Données</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Data set</source>
        <translation>Jeu de données</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Digits (MNIST subset)</source>
        <translation>Chiffres (extrait de MNIST)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shapes (synthetic)</source>
        <translation>Formes (synthétiques)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder of images...</source>
        <translation>Dossier d&apos;images…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CIFAR-10 batches (colour)...</source>
        <translation>Lots CIFAR-10 (couleur)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+20"/>
        <source>Choose...</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Training images</source>
        <translation>Images d&apos;entraînement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At most this many training images; a quarter of that for validation</source>
        <translation>Au plus ce nombre d&apos;images d&apos;entraînement&#xa0;; le quart pour la validation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size (pixels)</source>
        <translation>Taille (pixels)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The folder&apos;s images are resized to this square size</source>
        <translation>Les images du dossier sont redimensionnées à ce carré</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Colour</source>
        <translation>Couleur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Grey (1 channel)</source>
        <translation>Gris (1 canal)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Colour (RGB, 3 channels)</source>
        <translation>Couleur (RVB, 3 canaux)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run on</source>
        <translation>Exécuter sur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This computer:</source>
        <translation>Cet ordinateur&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>worker processes</source>
        <translation>processus de calcul</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trials trained at once, one per process (one per core is best)</source>
        <translation>Essais entraînés à la fois, un par processus (un par cœur est idéal)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Dask scheduler&apos;s address:</source>
        <translation>L&apos;adresse d&apos;un ordonnanceur Dask&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>On the cluster: &apos;dask scheduler&apos; on one machine, &apos;dask worker tcp://HOST:8786 --nthreads 1&apos; on the others, with ConvScope installed on each.</source>
        <translation>Sur le cluster&#xa0;: «&#xa0;dask scheduler&#xa0;» sur une machine, «&#xa0;dask worker tcp://HOTE:8786 --nthreads 1&#xa0;» sur les autres, ConvScope installé sur chacune.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Results (CSV)</source>
        <translation>Résultats (CSV)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>One row per trial, the trained models beside it. Running the same sweep again skips the trials already in the file.</source>
        <translation>Une ligne par essai, les modèles entraînés à côté. Relancer le même balayage saute les essais déjà dans le fichier.</translation>
    </message>
</context>
<context>
    <name>SweepTexts</name>
    <message>
        <location filename="../widgets/sweep_page_texts.py" line="+38"/>
        <source>whole numbers ≥ {0}</source>
        <translation>des entiers ≥ {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>numbers &gt; 0</source>
        <translation>des nombres &gt; 0</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+32"/>
        <source>This sweep cannot run: {0}</source>
        <translation>Ce balayage ne peut pas être lancé&#xa0;: {0}</translation>
    </message>
    <message>
        <location line="-28"/>
        <source>{0}: “{1}” is not valid; give {2}, separated by commas.</source>
        <translation>{0}&#xa0;: «&#xa0;{1}&#xa0;» n’est pas valide&#xa0;; donnez {2}, séparés par des virgules.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0}: {1} is a range; ranges need random points (see Search).</source>
        <translation>{0}&#xa0;: {1} est un intervalle&#xa0;; les intervalles demandent des points aléatoires (voir Recherche).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0}: tick at least one value.</source>
        <translation>{0}&#xa0;: cochez au moins une valeur.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Seeds: give whole numbers ≥ 0 separated by commas (e.g. 0, 1). Received: “{0}”</source>
        <translation>Graines&#xa0;: donnez des entiers ≥ 0 séparés par des virgules (par ex. 0, 1). Reçu&#xa0;: «&#xa0;{0}&#xa0;»</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{0} trials is more than one sweep may train ({1}): remove values, or use random points.</source>
        <translation>{0} essais, c’est plus qu’un balayage ne peut en entraîner ({1})&#xa0;: retirez des valeurs, ou utilisez des points aléatoires.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose the folder of the data set (the Choose... button).</source>
        <translation>Choisissez le dossier du jeu de données (le bouton Choisir…).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Dask scheduler&apos;s address looks like tcp://HOST:PORT (e.g. tcp://192.168.1.20:8786). Received: “{0}”</source>
        <translation>L&apos;adresse d&apos;un ordonnanceur Dask a la forme tcp://HOTE:PORT (par ex. tcp://192.168.1.20:8786). Reçu&#xa0;: «&#xa0;{0}&#xa0;»</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The results file must end in .csv. Received: “{0}”</source>
        <translation>Le fichier de résultats doit finir par .csv. Reçu&#xa0;: «&#xa0;{0}&#xa0;»</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No Dask scheduler answers at {0} ({1}). Check the address, start the scheduler there with &apos;dask scheduler&apos;, or run on this computer.</source>
        <translation>Aucun ordonnanceur Dask ne répond à {0} ({1}). Vérifiez l&apos;adresse, lancez-y l&apos;ordonnanceur avec «&#xa0;dask scheduler&#xa0;», ou exécutez sur cet ordinateur.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Trials: {0} (combinations: {1} × seeds: {2}), epochs per trial: {3}.</source>
        <translation>Essais&#xa0;: {0} (combinaisons&#xa0;: {1} × graines&#xa0;: {2}), époques par essai&#xa0;: {3}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All are in the results file already: Run only shows them.</source>
        <translation>Tous sont déjà dans le fichier de résultats&#xa0;: Lancer ne fait que les montrer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Already in the results file, skipped: {0}.</source>
        <translation>Déjà dans le fichier de résultats, sautés&#xa0;: {0}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Every trial of this sweep was done earlier: nothing to train.</source>
        <translation>Tous les essais de ce balayage ont déjà été faits&#xa0;: rien à entraîner.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connecting to {0}...</source>
        <translation>Connexion à {0}…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting a Dask cluster on this computer...</source>
        <translation>Démarrage d&apos;un cluster Dask sur cet ordinateur…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Skipped, done in an earlier run: {0}.</source>
        <translation>Sautés, faits lors d&apos;un lancement précédent&#xa0;: {0}.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Running on {0} (worker threads: {1}).</source>
        <translation>Exécution sur {0} (fils de calcul&#xa0;: {1}).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Running on this computer (worker processes: {0}).</source>
        <translation>Exécution sur cet ordinateur (processus de calcul&#xa0;: {0}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Dask dashboard: &lt;a href=&quot;{0}&quot;&gt;{0}&lt;/a&gt;</source>
        <translation>Tableau de bord Dask&#xa0;: &lt;a href=&quot;{0}&quot;&gt;{0}&lt;/a&gt;</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Stopping: finished trials are kept; the embedded cluster closes and ends the running ones (a few seconds).</source>
        <translation>Arrêt&#xa0;: les essais terminés sont gardés&#xa0;; le cluster intégré se ferme et interrompt ceux en cours (quelques secondes).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stopping: finished trials are kept; trials already running on the cluster are abandoned.</source>
        <translation>Arrêt&#xa0;: les essais terminés sont gardés&#xa0;; ceux déjà en cours sur le cluster sont abandonnés.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>done: {0}</source>
        <translation>terminés&#xa0;: {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>running: {0}</source>
        <translation>en cours&#xa0;: {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed: {0}</source>
        <translation>en échec&#xa0;: {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>done earlier: {0}</source>
        <translation>faits avant&#xa0;: {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>to run: {0}</source>
        <translation>à lancer&#xa0;: {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>elapsed {0}</source>
        <translation>écoulé {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>about {0} left</source>
        <translation>reste environ {0}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Stopped. Trials finished in this run, saved: {0}. Run again to train the others.</source>
        <translation>Arrêté. Essais terminés lors de ce lancement, enregistrés&#xa0;: {0}. Relancez pour entraîner les autres.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Failed trials: {0} (select one to read why). The first: {1}</source>
        <translation>Essais en échec&#xa0;: {0} (sélectionnez-en un pour lire pourquoi). Le premier&#xa0;: {1}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The sweep ended without a trained network.</source>
        <translation>Le balayage s&apos;est terminé sans réseau entraîné.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sweep finished. Best validation accuracy: {0} ({1}). Double-click a trial to open it.</source>
        <translation>Balayage terminé. Meilleure exactitude en validation&#xa0;: {0} ({1}). Double-cliquez sur un essai pour l&apos;ouvrir.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Trial {0} failed: {1}</source>
        <translation>L&apos;essai {0} a échoué&#xa0;: {1}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The sweep stopped: {0}</source>
        <translation>Le balayage s&apos;est arrêté&#xa0;: {0}</translation>
    </message>
</context>
<context>
    <name>TrialTableModel</name>
    <message>
        <location filename="../widgets/sweep_table.py" line="+205"/>
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Val. accuracy</source>
        <translation>Exactitude (val.)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Val. loss</source>
        <translation>Perte (val.)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weights</source>
        <translation>Poids</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seconds</source>
        <translation>Secondes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Worker</source>
        <translation>Processus</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Accuracy on the validation images after the last epoch</source>
        <translation>Exactitude sur les images de validation après la dernière époque</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loss on the validation images after the last epoch</source>
        <translation>Perte sur les images de validation après la dernière époque</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number of weights (parameters) of the network</source>
        <translation>Nombre de poids (paramètres) du réseau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time to build and train the network</source>
        <translation>Temps pour construire et entraîner le réseau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The Dask worker that trained it</source>
        <translation>Le processus Dask (worker) qui l&apos;a entraîné</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>to run</source>
        <translation>à lancer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>waiting</source>
        <translation>en attente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>done</source>
        <translation>terminé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>done earlier</source>
        <translation>fait avant</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>en échec</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not run</source>
        <translation>non lancé</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>epoch {0}/{1}</source>
        <translation>époque {0}/{1}</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The best validation accuracy of the sweep; double-click to open its model</source>
        <translation>La meilleure exactitude en validation du balayage&#xa0;; double-cliquez pour ouvrir son modèle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Double-click to open this network in the Network tab</source>
        <translation>Double-cliquez pour ouvrir ce réseau dans l&apos;onglet Réseau</translation>
    </message>
</context>
</TS>
