"""The French of both layouts for any figure, any place and any optional part: every
count sentence for 0, 1, 2 and 1 000, asserted word for word (no-break spaces shown
as spaces), towns with and without an article, and every optional part absent, alone
and together."""
import copy
import re

import pytest
from french_corpus import BILAN, COMMUNIQUE, REGION, ROOT, sentence_with, sentences, texts

from reportgen.cli import main

LAYOUTS = {"bilan": BILAN, "bilan (lieux_conseillers)": dict(BILAN, personnel=dict(
    BILAN["personnel"], lieux_conseillers=["Baie-Comeau", "Les Escoumins"])),
    "communique": COMMUNIQUE}
LAYOUTS["bilan (actions_locales)"] = dict(BILAN, chiffres=dict(BILAN["chiffres"], actions_locales=5))
#: Phrases that never appear in correct French, whatever the figures.
NEVER = re.compile(r"zéro|\bde une?\b|\bque une?\b|\bde aucun|\bde [AEIOUÉ]|etc\.\.|\bà Les?\b|\bde Les?\b|"
                   r"c’est aucun|une équipe de une?\b|, sur la [^,]+, sur\b|sur la Côte-Nord, sur")


def with_figure(period: dict, path: str, value) -> dict:
    period = copy.deepcopy(period)
    section, name = path.split(".")
    # An amount carries its unit (« 2 » alone is refused: dollars or millions?).
    period[section][name] = f"{value} $" if name == "investissement" else value
    return period


def region_for(path: str) -> dict:
    """Service points are counted from the offices: to vary the figure, the offices go."""
    region = copy.deepcopy(REGION)
    if path.endswith("points_de_services"):
        del region["bureaux"]
    return region


SENTENCES = [
    ('bilan', 'chiffres.personnes_accompagnees', 0, [
        'À ce jour, aucune personne immigrante de la Côte-Nord n’a été accompagnée par les agentes et agents d’aide à l’intégration de la région grâce à Accompagnement Québec, le service d’intégration des personnes immigrantes du ministère de l’Immigration, de la Francisation et de l’Intégration (MIFI).',
    ]),
    ('bilan', 'chiffres.personnes_accompagnees', 1, [
        'À ce jour, une personne immigrante de la Côte-Nord a été accompagnée par les agentes et agents d’aide à l’intégration de la région grâce à Accompagnement Québec, le service d’intégration des personnes immigrantes du ministère de l’Immigration, de la Francisation et de l’Intégration (MIFI).',
    ]),
    ('bilan', 'chiffres.personnes_accompagnees', 2, [
        'À ce jour, deux personnes immigrantes de la Côte-Nord ont été accompagnées par les agentes et agents d’aide à l’intégration de la région grâce à Accompagnement Québec, le service d’intégration des personnes immigrantes du ministère de l’Immigration, de la Francisation et de l’Intégration (MIFI).',
    ]),
    ('bilan', 'chiffres.personnes_accompagnees', 1000, [
        'À ce jour, 1 000 personnes immigrantes de la Côte-Nord ont été accompagnées par les agentes et agents d’aide à l’intégration de la région grâce à Accompagnement Québec, le service d’intégration des personnes immigrantes du ministère de l’Immigration, de la Francisation et de l’Intégration (MIFI).',
    ]),
    ('bilan', 'chiffres.entreprises_accompagnees', 0, [
        'À ce jour, aucune entreprise de la région n’a encore été accompagnée par les conseillères et conseillers en immigration régionale en poste sur la Côte-Nord.',
    ]),
    ('bilan', 'chiffres.entreprises_accompagnees', 1, [
        'À ce jour, les conseillères et conseillers en immigration régionale en poste sur la Côte-Nord ont accompagné une entreprise de la région.',
    ]),
    ('bilan', 'chiffres.entreprises_accompagnees', 2, [
        'À ce jour, les conseillères et conseillers en immigration régionale en poste sur la Côte-Nord ont accompagné deux entreprises de la région.',
    ]),
    ('bilan', 'chiffres.entreprises_accompagnees', 1000, [
        'À ce jour, les conseillères et conseillers en immigration régionale en poste sur la Côte-Nord ont accompagné 1 000 entreprises de la région.',
    ]),
    ('bilan', 'chiffres.ententes', 0, [
        'Aucune entente n’a encore été établie avec les partenaires du milieu dans le cadre des programmes financiers du MIFI.',
    ]),
    ('bilan', 'chiffres.ententes', 1, [
        'Les mesures mises en place par le MIFI ont également permis d’établir une entente avec différents partenaires du milieu.',
        'Cette entente, dans le cadre des programmes financiers du MIFI, a permis de créer une concertation autour d’actions durables, d’activités de mobilisation et d’accompagnement dans l’installation des personnes immigrantes dans la région de la Côte-Nord au cours de la dernière année.',
    ]),
    ('bilan', 'chiffres.ententes', 2, [
        'Les mesures mises en place par le MIFI ont également permis d’établir deux ententes avec différents partenaires du milieu.',
        'Ces ententes, dans le cadre des programmes financiers du MIFI, ont permis de créer une concertation autour d’actions durables, d’activités de mobilisation et d’accompagnement dans l’installation des personnes immigrantes dans la région de la Côte-Nord au cours de la dernière année.',
    ]),
    ('bilan', 'chiffres.ententes', 1000, [
        'Les mesures mises en place par le MIFI ont également permis d’établir 1 000 ententes avec différents partenaires du milieu.',
        'Ces ententes, dans le cadre des programmes financiers du MIFI, ont permis de créer une concertation autour d’actions durables, d’activités de mobilisation et d’accompagnement dans l’installation des personnes immigrantes dans la région de la Côte-Nord au cours de la dernière année.',
    ]),
    ('bilan', 'personnel.conseillers', 0, [
        'À ce jour, la direction régionale a accompagné 30 entreprises de la région.',
        'Aucune conseillère ni aucun conseiller en immigration régionale n’est actuellement en poste sur la Côte-Nord.',
        'La direction régionale peut compter sur une équipe de trois agentes et agents d’aide à l’intégration pour rencontrer les personnes immigrantes dans le cadre d’Accompagnement Québec.',
    ]),
    ('bilan', 'personnel.conseillers', 1, [
        'À ce jour, la conseillère ou le conseiller en immigration régionale en poste sur la Côte-Nord a accompagné 30 entreprises de la région.',
        'Sur la Côte-Nord, la direction régionale peut compter sur une conseillère ou un conseiller en immigration régionale pour offrir un service clé en main aux entreprises désireuses d’embaucher des personnes immigrantes d’ici ou ailleurs et accompagner les collectivités dans leurs efforts pour édifier des communautés accueillantes et inclusives.',
        'À celle-ci ou celui-ci, s’ajoutent trois agentes et agents d’aide à l’intégration pour rencontrer les personnes immigrantes dans le cadre d’Accompagnement Québec.',
    ]),
    ('bilan', 'personnel.conseillers', 2, [
        'À ce jour, les conseillères et conseillers en immigration régionale en poste sur la Côte-Nord ont accompagné 30 entreprises de la région.',
        'Sur la Côte-Nord, la direction régionale peut compter sur une équipe de deux conseillères et conseillers en immigration régionale pour offrir un service clé en main aux entreprises désireuses d’embaucher des personnes immigrantes d’ici ou ailleurs et accompagner les collectivités dans leurs efforts pour édifier des communautés accueillantes et inclusives.',
        'À ceux-ci, s’ajoutent trois agentes et agents d’aide à l’intégration pour rencontrer les personnes immigrantes dans le cadre d’Accompagnement Québec.',
    ]),
    ('bilan', 'personnel.conseillers', 1000, [
        'À ce jour, les conseillères et conseillers en immigration régionale en poste sur la Côte-Nord ont accompagné 30 entreprises de la région.',
        'Sur la Côte-Nord, la direction régionale peut compter sur une équipe de 1 000 conseillères et conseillers en immigration régionale pour offrir un service clé en main aux entreprises désireuses d’embaucher des personnes immigrantes d’ici ou ailleurs et accompagner les collectivités dans leurs efforts pour édifier des communautés accueillantes et inclusives.',
        'À ceux-ci, s’ajoutent trois agentes et agents d’aide à l’intégration pour rencontrer les personnes immigrantes dans le cadre d’Accompagnement Québec.',
    ]),
    ('bilan (lieux_conseillers)', 'personnel.conseillers', 0, [
        'À ce jour, la direction régionale a accompagné 30 entreprises de la région.',
        'Aucune conseillère ni aucun conseiller en immigration régionale n’est actuellement en poste sur la Côte-Nord.',
        'La direction régionale peut compter sur une équipe de trois agentes et agents d’aide à l’intégration pour rencontrer les personnes immigrantes dans le cadre d’Accompagnement Québec.',
    ]),
    ('bilan (lieux_conseillers)', 'personnel.conseillers', 1, [
        'À ce jour, la conseillère ou le conseiller en immigration régionale en poste sur la Côte-Nord a accompagné 30 entreprises de la région.',
        'Précisons qu’une conseillère ou un conseiller en immigration régionale est en poste à Baie-Comeau et aux Escoumins pour offrir un service clé en main aux entreprises désireuses d’embaucher des personnes immigrantes d’ici ou ailleurs et accompagner les collectivités dans leurs efforts pour édifier des communautés accueillantes et inclusives.',
        'À celle-ci ou celui-ci, s’ajoutent trois agentes et agents d’aide à l’intégration pour rencontrer les personnes immigrantes dans le cadre d’Accompagnement Québec.',
    ]),
    ('bilan (lieux_conseillers)', 'personnel.conseillers', 2, [
        'À ce jour, les conseillères et conseillers en immigration régionale en poste sur la Côte-Nord ont accompagné 30 entreprises de la région.',
        'Précisons que deux conseillères et conseillers en immigration régionale sont en poste à Baie-Comeau et aux Escoumins pour offrir un service clé en main aux entreprises désireuses d’embaucher des personnes immigrantes d’ici ou ailleurs et accompagner les collectivités dans leurs efforts pour édifier des communautés accueillantes et inclusives.',
        'À ceux-ci, s’ajoutent trois agentes et agents d’aide à l’intégration pour rencontrer les personnes immigrantes dans le cadre d’Accompagnement Québec.',
    ]),
    ('bilan (lieux_conseillers)', 'personnel.conseillers', 1000, [
        'À ce jour, les conseillères et conseillers en immigration régionale en poste sur la Côte-Nord ont accompagné 30 entreprises de la région.',
        'Précisons que 1 000 conseillères et conseillers en immigration régionale sont en poste à Baie-Comeau et aux Escoumins pour offrir un service clé en main aux entreprises désireuses d’embaucher des personnes immigrantes d’ici ou ailleurs et accompagner les collectivités dans leurs efforts pour édifier des communautés accueillantes et inclusives.',
        'À ceux-ci, s’ajoutent trois agentes et agents d’aide à l’intégration pour rencontrer les personnes immigrantes dans le cadre d’Accompagnement Québec.',
    ]),
    ('bilan', 'personnel.agents', 0, [
        'À ce jour, 40 personnes immigrantes de la Côte-Nord ont été accompagnées par la direction régionale grâce à Accompagnement Québec, le service d’intégration des personnes immigrantes du ministère de l’Immigration, de la Francisation et de l’Intégration (MIFI).',
    ]),
    ('bilan', 'personnel.agents', 1, [
        'À ce jour, 40 personnes immigrantes de la Côte-Nord ont été accompagnées par l’agente ou l’agent d’aide à l’intégration de la région grâce à Accompagnement Québec, le service d’intégration des personnes immigrantes du ministère de l’Immigration, de la Francisation et de l’Intégration (MIFI).',
        'À ceux-ci, s’ajoute une agente ou un agent d’aide à l’intégration pour rencontrer les personnes immigrantes dans le cadre d’Accompagnement Québec.',
    ]),
    ('bilan', 'personnel.agents', 2, [
        'À ce jour, 40 personnes immigrantes de la Côte-Nord ont été accompagnées par les agentes et agents d’aide à l’intégration de la région grâce à Accompagnement Québec, le service d’intégration des personnes immigrantes du ministère de l’Immigration, de la Francisation et de l’Intégration (MIFI).',
        'À ceux-ci, s’ajoutent deux agentes et agents d’aide à l’intégration pour rencontrer les personnes immigrantes dans le cadre d’Accompagnement Québec.',
    ]),
    ('bilan', 'personnel.agents', 1000, [
        'À ce jour, 40 personnes immigrantes de la Côte-Nord ont été accompagnées par les agentes et agents d’aide à l’intégration de la région grâce à Accompagnement Québec, le service d’intégration des personnes immigrantes du ministère de l’Immigration, de la Francisation et de l’Intégration (MIFI).',
        'À ceux-ci, s’ajoutent 1 000 agentes et agents d’aide à l’intégration pour rencontrer les personnes immigrantes dans le cadre d’Accompagnement Québec.',
    ]),
    ('bilan', 'chiffres.points_de_services', 0, [
        'Pour nous joindre',
        'Pour communiquer avec la direction régionale, on peut le faire par courriel ou par téléphone :',
    ]),
    ('bilan', 'chiffres.points_de_services', 1, [
        'L’équipe est déployée dans un point de services.',
        'Point de services',
        'Pour communiquer avec le point de services de la Côte-Nord, on peut le faire par courriel ou par téléphone :',
    ]),
    ('bilan', 'chiffres.points_de_services', 2, [
        'L’équipe est déployée dans deux points de services.',
        'Points de services',
        'Pour communiquer avec l’un ou l’autre des points de services sur la Côte-Nord, on peut le faire par courriel ou par téléphone :',
    ]),
    ('bilan', 'chiffres.points_de_services', 1000, [
        'L’équipe est déployée dans 1 000 points de services.',
        'Points de services',
        'Pour communiquer avec l’un ou l’autre des points de services sur la Côte-Nord, on peut le faire par courriel ou par téléphone :',
    ]),
    ('bilan (actions_locales)', 'chiffres.actions_locales', 0, [
        'Depuis le déploiement régional, l’aide financière accordée par le MIFI a notamment soutenu les projets suivants :',
    ]),
    ('bilan (actions_locales)', 'chiffres.actions_locales', 1, [
        'Depuis le déploiement régional, c’est une action locale positive et dynamique qui a pu être réalisée grâce à l’aide financière accordée par le MIFI, notamment :',
    ]),
    ('bilan (actions_locales)', 'chiffres.actions_locales', 2, [
        'Depuis le déploiement régional, ce sont deux actions locales positives et dynamiques qui ont pu être réalisées grâce à l’aide financière accordée par le MIFI, notamment :',
    ]),
    ('bilan (actions_locales)', 'chiffres.actions_locales', 1000, [
        'Depuis le déploiement régional, ce sont 1 000 actions locales positives et dynamiques qui ont pu être réalisées grâce à l’aide financière accordée par le MIFI, notamment :',
    ]),
    ('communique', 'personnel.conseillers', 0, [
        'La Direction régionale de la Côte-Nord peut compter sur une équipe de dix agentes et agents d’aide à l’intégration.',
        'De plus, la direction régionale assure l’encadrement des ententes pour la promotion et la mise en œuvre des activités favorisant la pleine participation et l’inclusion des personnes immigrantes dans la collectivité.',
        '10 agentes et agents d’aide à l’intégration',
    ]),
    ('communique', 'personnel.conseillers', 1, [
        'La Direction régionale de la Côte-Nord peut compter sur une équipe d’une conseillère ou d’un conseiller en immigration régionale et de dix agentes et agents d’aide à l’intégration.',
        'De plus, la conseillère ou le conseiller en immigration régionale assure l’encadrement des ententes pour la promotion et la mise en œuvre des activités favorisant la pleine participation et l’inclusion des personnes immigrantes dans la collectivité.',
        '1 conseillère ou conseiller en immigration régionale et 10 agentes et agents d’aide à l’intégration',
    ]),
    ('communique', 'personnel.conseillers', 2, [
        'La Direction régionale de la Côte-Nord peut compter sur une équipe de deux conseillères et conseillers en immigration régionale et de dix agentes et agents d’aide à l’intégration.',
        'De plus, les conseillères et les conseillers assurent l’encadrement des ententes pour la promotion et la mise en œuvre des activités favorisant la pleine participation et l’inclusion des personnes immigrantes dans la collectivité.',
        '2 conseillères et conseillers en immigration régionale et 10 agentes et agents d’aide à l’intégration',
    ]),
    ('communique', 'personnel.conseillers', 1000, [
        'La Direction régionale de la Côte-Nord peut compter sur une équipe de 1 000 conseillères et conseillers en immigration régionale et de dix agentes et agents d’aide à l’intégration.',
        'De plus, les conseillères et les conseillers assurent l’encadrement des ententes pour la promotion et la mise en œuvre des activités favorisant la pleine participation et l’inclusion des personnes immigrantes dans la collectivité.',
        '1 000 conseillères et conseillers en immigration régionale et 10 agentes et agents d’aide à l’intégration',
    ]),
    ('communique', 'personnel.agents', 0, [
        'La Direction régionale de la Côte-Nord peut compter sur une équipe de six conseillères et conseillers en immigration régionale.',
        '6 conseillères et conseillers en immigration régionale',
    ]),
    ('communique', 'personnel.agents', 1, [
        'La Direction régionale de la Côte-Nord peut compter sur une équipe de six conseillères et conseillers en immigration régionale et d’une agente ou d’un agent d’aide à l’intégration.',
        '6 conseillères et conseillers en immigration régionale et 1 agente ou agent d’aide à l’intégration',
    ]),
    ('communique', 'personnel.agents', 2, [
        'La Direction régionale de la Côte-Nord peut compter sur une équipe de six conseillères et conseillers en immigration régionale et de deux agentes et agents d’aide à l’intégration.',
        '6 conseillères et conseillers en immigration régionale et 2 agentes et agents d’aide à l’intégration',
    ]),
    ('communique', 'personnel.agents', 1000, [
        'La Direction régionale de la Côte-Nord peut compter sur une équipe de six conseillères et conseillers en immigration régionale et de 1 000 agentes et agents d’aide à l’intégration.',
        '6 conseillères et conseillers en immigration régionale et 1 000 agentes et agents d’aide à l’intégration',
    ]),
    ('communique', 'chiffres.points_de_services', 0, [
    ]),
    ('communique', 'chiffres.points_de_services', 1, [
        'Ce personnel est à l’œuvre dans un point de services situé dans les bureaux de Services Québec.',
        '1 point de services',
    ]),
    ('communique', 'chiffres.points_de_services', 2, [
        'Ce personnel est à l’œuvre dans deux points de services situés dans les bureaux de Services Québec.',
        '2 points de services',
    ]),
    ('communique', 'chiffres.points_de_services', 1000, [
        'Ce personnel est à l’œuvre dans 1 000 points de services situés dans les bureaux de Services Québec.',
        '1 000 points de services',
    ]),
    ('communique', 'chiffres.investissement', 0, [
        'Durant l’année financière 2020-2021, aucune somme n’a été investie par le Ministère sur la Côte-Nord auprès des acteurs du milieu.',
    ]),
    ('communique', 'chiffres.investissement', 1, [
        'Durant l’année financière 2020-2021, le Ministère a investi sur la Côte-Nord 1 $ auprès de différents acteurs du milieu, incluant des organismes communautaires, des MRC et des municipalités.',
    ]),
    ('communique', 'chiffres.investissement', 2, [
        'Durant l’année financière 2020-2021, le Ministère a investi sur la Côte-Nord 2 $ auprès de différents acteurs du milieu, incluant des organismes communautaires, des MRC et des municipalités.',
    ]),
    ('communique', 'chiffres.investissement', 1000, [
        'Durant l’année financière 2020-2021, le Ministère a investi sur la Côte-Nord 1 000 $ auprès de différents acteurs du milieu, incluant des organismes communautaires, des MRC et des municipalités.',
    ]),
    ('communique', 'chiffres.actions_locales', 0, [
        'Aucune action locale n’a encore vu le jour dans la région grâce à cette collaboration.',
    ]),
    ('communique', 'chiffres.actions_locales', 1, [
        'Cette collaboration entre le Ministère et les partenaires a permis à une action locale positive et dynamique de voir le jour dans la région.',
        'Cette action a contribué à faciliter l’intégration en français des personnes immigrantes et à favoriser leur établissement durable sur la Côte-Nord.',
    ]),
    ('communique', 'chiffres.actions_locales', 2, [
        'Cette collaboration entre le Ministère et les partenaires a permis à deux actions locales positives et dynamiques de voir le jour dans la région.',
        'Ces actions ont contribué à faciliter l’intégration en français des personnes immigrantes et à favoriser leur établissement durable sur la Côte-Nord.',
    ]),
    ('communique', 'chiffres.actions_locales', 1000, [
        'Cette collaboration entre le Ministère et les partenaires a permis à 1 000 actions locales positives et dynamiques de voir le jour dans la région.',
        'Ces actions ont contribué à faciliter l’intégration en français des personnes immigrantes et à favoriser leur établissement durable sur la Côte-Nord.',
    ]),
    ('communique', 'chiffres.entreprises_accompagnees', 0, [
        'Depuis le déploiement régional, aucun employeur de la région n’a encore bénéficié d’un accompagnement personnalisé offert par les conseillères et les conseillers en immigration régionale et en recrutement international du Ministère.',
        'Deux outils complémentaires d’aide au recrutement sont à la disposition des employeurs pour répondre à leurs besoins de main-d’œuvre : le Portail employeurs, un service gratuit offert directement aux entreprises, et les Journées Québec, qui organisent des activités de recrutement à l’étranger.',
    ]),
    ('communique', 'chiffres.entreprises_accompagnees', 1, [
        'Depuis le déploiement régional, c’est un employeur de la région qui a bénéficié d’un accompagnement personnalisé offert par les conseillères et les conseillers en immigration régionale et en recrutement international du Ministère.',
        'Deux outils complémentaires d’aide au recrutement sont à sa disposition pour répondre à ses besoins de main-d’œuvre : le Portail employeurs, un service gratuit offert directement aux entreprises, et les Journées Québec, qui organisent des activités de recrutement à l’étranger.',
        '1 employeur qui a bénéficié d’un accompagnement personnalisé du MIFI (au 31 mars 2021)',
    ]),
    ('communique', 'chiffres.entreprises_accompagnees', 2, [
        'Depuis le déploiement régional, ce sont deux employeurs de la région qui ont bénéficié d’un accompagnement personnalisé offert par les conseillères et les conseillers en immigration régionale et en recrutement international du Ministère.',
        'Deux outils complémentaires d’aide au recrutement sont à leur disposition pour répondre à leurs besoins de main-d’œuvre : le Portail employeurs, un service gratuit offert directement aux entreprises, et les Journées Québec, qui organisent des activités de recrutement à l’étranger.',
        '2 employeurs qui ont bénéficié d’un accompagnement personnalisé du MIFI (au 31 mars 2021)',
    ]),
    ('communique', 'chiffres.entreprises_accompagnees', 1000, [
        'Depuis le déploiement régional, ce sont 1 000 employeurs de la région qui ont bénéficié d’un accompagnement personnalisé offert par les conseillères et les conseillers en immigration régionale et en recrutement international du Ministère.',
        'Deux outils complémentaires d’aide au recrutement sont à leur disposition pour répondre à leurs besoins de main-d’œuvre : le Portail employeurs, un service gratuit offert directement aux entreprises, et les Journées Québec, qui organisent des activités de recrutement à l’étranger.',
        '1 000 employeurs qui ont bénéficié d’un accompagnement personnalisé du MIFI (au 31 mars 2021)',
    ]),
    ('communique', 'chiffres.partenaires', 0, [
        '34 ententes (au 31 mars 2021)',
    ]),
    ('communique', 'chiffres.partenaires', 1, [
        '1 partenaire et 34 ententes (au 31 mars 2021)',
    ]),
    ('communique', 'chiffres.partenaires', 2, [
        '2 partenaires et 34 ententes (au 31 mars 2021)',
    ]),
    ('communique', 'chiffres.partenaires', 1000, [
        '1 000 partenaires et 34 ententes (au 31 mars 2021)',
    ]),
    ('communique', 'chiffres.ententes', 0, [
        '23 partenaires (au 31 mars 2021)',
    ]),
    ('communique', 'chiffres.ententes', 1, [
        '23 partenaires et 1 entente (au 31 mars 2021)',
    ]),
    ('communique', 'chiffres.ententes', 2, [
        '23 partenaires et 2 ententes (au 31 mars 2021)',
    ]),
    ('communique', 'chiffres.ententes', 1000, [
        '23 partenaires et 1 000 ententes (au 31 mars 2021)',
    ]),
]


@pytest.mark.parametrize("layout, path, value, expected", SENTENCES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in SENTENCES])
def test_every_count_sentence_reads_right(layout, path, value, expected, tmp_path):
    written = sentences(tmp_path, with_figure(LAYOUTS[layout], path, value), region_for(path))
    for sentence in expected:
        assert sentence in written
    text = " ".join(written)
    assert not NEVER.search(text), NEVER.search(text).group(0)


# ---------------------------------------------------------------- places in the layouts

def test_towns_with_their_article_in_both_lists_of_the_bilan(tmp_path):
    period = copy.deepcopy(BILAN)
    period["personnel"].update(lieux_conseillers=["Les Escoumins"], lieux_agents=["Baie-Comeau", "Sept-Îles", "Le Bic"])
    region = copy.deepcopy(REGION)
    region["bureaux"][0]["ville"] = "Amos"
    written = sentences(tmp_path, period, region)
    assert ("Précisons que deux conseillères et conseillers en immigration régionale sont en poste aux Escoumins "
            "pour offrir un service clé en main aux entreprises désireuses d’embaucher des personnes immigrantes "
            "d’ici ou ailleurs et accompagner les collectivités dans leurs efforts pour édifier des communautés "
            "accueillantes et inclusives.") in written
    assert ("À ceux-ci, s’ajoutent trois agentes et agents d’aide à l’intégration en poste à Baie-Comeau, "
            "à Sept-Îles et au Bic pour rencontrer les personnes immigrantes dans le cadre d’Accompagnement Québec.") in written
    assert ("L’équipe est déployée dans trois points de services situés dans les bureaux de Services Québec "
            "d’Amos, de Sept-Îles et des Escoumins.") in written


def test_a_region_on_the_coast_never_gets_two_prepositions_in_a_row(tmp_path):
    sentence = sentence_with(tmp_path, "peut compter", BILAN)
    assert sentence.startswith("Sur la Côte-Nord, la direction régionale peut compter sur une équipe de deux "
                               "conseillères et conseillers en immigration régionale pour offrir")


def test_a_region_with_en_keeps_the_published_order(tmp_path):
    region = dict(REGION, nom="Mauricie", formes={"en": "en Mauricie", "de": "de la Mauricie"})
    sentence = sentence_with(tmp_path, "peut compter", BILAN, region)
    assert sentence.startswith("La direction régionale peut compter, en Mauricie, sur une équipe de deux")


# ---------------------------------------------------------------- periods, dates, quotes, items

def test_a_two_year_period_names_both_fiscal_years(tmp_path):
    sentence = sentence_with(tmp_path, "^Durant", COMMUNIQUE, period_id="2019-2021")
    assert sentence == ("Durant les années financières 2019-2020 et 2020-2021, le Ministère a investi sur la Côte-Nord "
                        "16,2 M$ auprès de différents acteurs du milieu, incluant des organismes communautaires, "
                        "des MRC et des municipalités.")


@pytest.mark.parametrize("since, expected", [
    (None, "et les Journées Québec, qui organisent des activités de recrutement à l’étranger."),
    ("2020-10", "et les Journées Québec, dont les activités de recrutement à l’étranger s’effectuent en mode "
                "virtuel depuis octobre 2020."),
    ("2022-01", "et les Journées Québec, dont les activités de recrutement à l’étranger s’effectuent en mode "
                "virtuel depuis janvier 2022."),
])
def test_the_dated_sentence_comes_from_data(since, expected, tmp_path):
    period = dict(COMMUNIQUE, journees_quebec_virtuelles_depuis=since) if since else COMMUNIQUE
    assert sentence_with(tmp_path, "Portail employeurs", period).endswith(expected)


def test_a_quote_of_three_paragraphs_keeps_them_with_french_guillemets(tmp_path):
    quote = {"texte": "Premier paragraphe.\n\nDeuxième paragraphe.\n\nTroisième paragraphe.",
             "auteur": "Nicolas Martin", "fonction": "directeur régional"}
    written = texts(tmp_path, dict(COMMUNIQUE, citation=quote))
    assert "« Premier paragraphe. « Deuxième paragraphe. « Troisième paragraphe. »" in written


def test_an_item_ending_in_etc_gets_no_second_period(tmp_path):
    period = dict(BILAN, projets=["des visites exploratoires", "sorties en mer, patinage, etc."])
    written = texts(tmp_path, period)
    assert written[written.index("des visites exploratoires ;") + 1] == "sorties en mer, patinage, etc."


# ---------------------------------------------------------------- optional parts

OPTIONAL = {
    "courriel": ("region", "courriel"), "telephone": ("region", "telephone"),
    "bureaux": ("region", "bureaux"), "ressources": ("region", "ressources"),
    "projets": ("period", "projets"), "citation": ("period", "citation"),
}


def without(*names: str, layout: dict = BILAN) -> tuple[dict, dict]:
    region, period = copy.deepcopy(REGION), copy.deepcopy(layout)
    period["citation"] = {"texte": "Nous sommes fiers.", "auteur": "Nicolas Martin", "fonction": "directeur régional"}
    for name in names:
        where, key = OPTIONAL[name]
        (region if where == "region" else period).pop(key, None)
    return region, period


@pytest.mark.parametrize("name", OPTIONAL)
@pytest.mark.parametrize("layout", ["bilan", "communique"])
def test_each_optional_part_can_be_absent_alone(name, layout, tmp_path):
    region, period = without(name, layout=LAYOUTS[layout])
    written = " ".join(texts(tmp_path, period, region))
    assert not NEVER.search(written)
    if layout == "bilan" and name == "courriel":
        assert "on peut le faire par téléphone :" in written and "Courriel" not in written
    if layout == "bilan" and name == "telephone":
        assert "on peut le faire par courriel :" in written and "Téléphone" not in written
    if layout == "bilan" and name == "bureaux":
        assert "bureaux sont situés" not in written and "L’équipe est déployée" not in written
        assert ("Pour communiquer avec la direction régionale, on peut le faire par courriel ou par téléphone :"
                in written)
    if layout == "bilan" and name == "ressources":
        assert "ressource" not in written
    if layout == "bilan" and name == "projets":
        assert "Voici" not in written and "notamment" not in written
    if layout == "communique" and name == "citation":
        assert "Nous sommes fiers" not in written


def test_all_optional_parts_absent_together_still_build_both_formats(project, capsys):
    import yaml
    region, period = without(*OPTIONAL)
    slug = project / "data" / "cote-nord"
    slug.mkdir()
    (slug / "region.yaml").write_text(yaml.safe_dump(region, allow_unicode=True), encoding="utf-8")
    (slug / "2020-2021.yaml").write_text(yaml.safe_dump(period, allow_unicode=True), encoding="utf-8")
    assert main(["build", "--region", "cote-nord", "-j", "1"]) == 0, capsys.readouterr().err
    assert (project / "build" / "2020-2021" / "cote-nord.pdf").is_file()
    assert (project / "build" / "2020-2021" / "cote-nord.docx").is_file()


def test_without_contacts_nor_offices_the_points_section_is_left_out(tmp_path):
    region, period = without("courriel", "telephone", "bureaux")
    written = texts(tmp_path, period, region)
    assert "Points de services" not in written and "Pour nous joindre" not in written
    assert not any("communiquer" in text for text in written)


@pytest.mark.parametrize("count, heading, sentence", [
    (1, "Une ressource disponible", "Une ressource offre des services"),
    (2, "Des ressources disponibles", "Des ressources offrent des services"),
])
def test_resources_follow_their_number(count, heading, sentence, tmp_path):
    region = dict(REGION, ressources=REGION["ressources"][:count])
    written = texts(tmp_path, BILAN, region)
    assert heading in written
    assert any(text.startswith(sentence) for text in written)


@pytest.mark.parametrize("count, lead_in", [(1, "Le bureau est situé :"), (3, "Les bureaux sont situés :")])
def test_offices_follow_their_number(count, lead_in, tmp_path):
    written = texts(tmp_path, BILAN, dict(REGION, bureaux=REGION["bureaux"][:count]))
    assert lead_in in written


@pytest.mark.parametrize("projects, expected", [
    (1, "Depuis le déploiement régional, c’est une action locale positive et dynamique qui a pu être réalisée "
        "grâce à l’aide financière accordée par le MIFI, notamment :"),
    (2, "Depuis le déploiement régional, ce sont des actions locales positives et dynamiques qui ont pu être "
        "réalisées grâce à l’aide financière accordée par le MIFI, notamment :"),
])
def test_without_a_count_of_actions_the_projects_sentence_claims_no_number(projects, expected, tmp_path):
    period = dict(BILAN, projets=BILAN["projets"][:projects])
    written = texts(tmp_path, period)
    assert expected in written
    assert ("Voici des projets développés" if projects > 1 else "Voici un projet développé") in " ".join(written)
    assert "centaines" not in " ".join(written)


@pytest.mark.parametrize("announced, bilan, communique", [
    ("2019-08", "et de la bonification de ses services en août 2019, la Direction régionale",
     "Depuis l’annonce, en août 2019, de son déploiement historique"),
    ("2020-01", "et de la bonification de ses services en janvier 2020, la Direction régionale",
     "Depuis l’annonce, en janvier 2020, de son déploiement historique"),
    (None, "et de la bonification de ses services, la Direction régionale",
     "Depuis l’annonce de son déploiement historique"),
])
def test_the_announcement_date_comes_from_the_ministry_data(announced, bilan, communique, tmp_path):
    import yaml
    ministry = yaml.safe_load((ROOT / "data" / "ministere.yaml").read_text(encoding="utf-8"))
    ministry.pop("annonce_regionalisation")
    if announced:
        ministry["annonce_regionalisation"] = announced
    assert bilan in " ".join(texts(tmp_path, BILAN, ministry=ministry))
    assert communique in " ".join(texts(tmp_path, COMMUNIQUE, ministry=ministry))


QUALIFIED = [
    ('bilan', 'chiffres.personnes_accompagnees', 'plus de 1',
     'À ce jour, plus d’une personne immigrante de la Côte-Nord a été accompagnée par les agentes et agents d’aide à l’intégration de la région grâce à Accompagnement Québec, le service d’intégration des personnes immigrantes du ministère de l’Immigration, de la Francisation et de l’Intégration (MIFI).'),
    ('bilan', 'chiffres.personnes_accompagnees', 'moins de 2',
     'À ce jour, moins de deux personnes immigrantes de la Côte-Nord ont été accompagnées par les agentes et agents d’aide à l’intégration de la région grâce à Accompagnement Québec, le service d’intégration des personnes immigrantes du ministère de l’Immigration, de la Francisation et de l’Intégration (MIFI).'),
    ('bilan', 'chiffres.entreprises_accompagnees', 'près de 1',
     'À ce jour, les conseillères et conseillers en immigration régionale en poste sur la Côte-Nord ont accompagné près d’une entreprise de la région.'),
    ('bilan', 'chiffres.ententes', 'environ 1',
     'Les mesures mises en place par le MIFI ont également permis d’établir environ une entente avec différents partenaires du milieu.'),
    ('bilan', 'chiffres.ententes', 'plus de 1',
     'Cette entente, dans le cadre des programmes financiers du MIFI, a permis de créer une concertation autour d’actions durables, d’activités de mobilisation et d’accompagnement dans l’installation des personnes immigrantes dans la région de la Côte-Nord au cours de la dernière année.'),
    ('bilan', 'chiffres.ententes', 'plus de 11',
     'Les mesures mises en place par le MIFI ont également permis d’établir plus de onze ententes avec différents partenaires du milieu.'),
    ('communique', 'chiffres.actions_locales', 'environ 1',
     'Cette collaboration entre le Ministère et les partenaires a permis à environ une action locale positive et dynamique de voir le jour dans la région.'),
    ('communique', 'chiffres.entreprises_accompagnees', 'plus de 1',
     'Depuis le déploiement régional, c’est plus d’un employeur de la région qui a bénéficié d’un accompagnement personnalisé offert par les conseillères et les conseillers en immigration régionale et en recrutement international du Ministère.'),
    ('communique', 'chiffres.entreprises_accompagnees', 'moins de 2',
     'Depuis le déploiement régional, ce sont moins de deux employeurs de la région qui ont bénéficié d’un accompagnement personnalisé offert par les conseillères et les conseillers en immigration régionale et en recrutement international du Ministère.'),
]


@pytest.mark.parametrize("layout, path, value, expected", QUALIFIED, ids=[f"{q[0]}-{q[1]}-{q[2]}" for q in QUALIFIED])
def test_a_qualified_count_reads_right(layout, path, value, expected, tmp_path):
    assert expected in sentences(tmp_path, with_figure(LAYOUTS[layout], path, value), region_for(path))


#: A qualified figure's count sentence never keeps « de » before « un », nor a plural noun after « un ».
QUALIFIED_NEVER = re.compile(r"\b(?:plus|près|moins) de une?\b|\b(?:une?|d’une?) (?:\w+ )?\w+s (?:a|ont|de la région|est)\b"
                             r"|\bune? \w+s ont\b")
COUNTS = {"bilan": ["chiffres.personnes_accompagnees", "chiffres.entreprises_accompagnees", "chiffres.ententes",
                    "personnel.conseillers", "personnel.agents"],
          "bilan (actions_locales)": ["chiffres.actions_locales"],
          "communique": ["chiffres.partenaires", "chiffres.ententes", "chiffres.entreprises_accompagnees",
                         "chiffres.actions_locales", "personnel.conseillers", "personnel.agents"]}


@pytest.mark.parametrize("qualifier", ["plus de", "près de", "environ", "moins de"])
@pytest.mark.parametrize("value", [1, 2, 40])
@pytest.mark.parametrize("layout", list(COUNTS))
def test_every_qualifier_with_one_two_and_many_in_both_layouts(layout, value, qualifier, tmp_path):
    if (qualifier, value) == ("moins de", 1):
        value = 2  # « moins de 1 » is refused (see test_a_qualified_figure_that_says_nothing)
    for path in COUNTS[layout]:
        text = " ".join(sentences(tmp_path, with_figure(LAYOUTS[layout], path, f"{qualifier} {value}"),
                                  region_for(path)))
        for bad in (NEVER, QUALIFIED_NEVER):
            assert not bad.search(text), (path, bad.search(text).group(0))
        assert f"{qualifier} {value}" in text or qualified_words(qualifier, value) in text, path


def qualified_words(qualifier: str, value: int) -> str:
    words = {1: "un", 2: "deux", 40: "40"}[value]
    return (qualifier[:-1] + "’" if qualifier.endswith("de") and value == 1 else qualifier + " ") + words


@pytest.mark.parametrize("raw, message", [
    ("plus de 0", "« plus de 0 » ne dit pas combien\n  → écrivez 0 s’il n’y en a aucun, sinon un nombre plus grand que 0"),
    ("environ 0", "« environ 0 » ne dit pas combien\n  → écrivez 0 s’il n’y en a aucun, sinon un nombre plus grand que 0"),
    ("moins de 1", "« moins de 1 » veut dire aucun\n  → écrivez 0")])
def test_a_qualified_figure_that_says_nothing_is_refused_by_check(raw, message, project, capsys):
    period = project / "data" / "estrie" / "2020-2021.yaml"
    period.write_text(period.read_text(encoding="utf-8").replace("ententes: 14", f"ententes: {raw}"),
                      encoding="utf-8")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "ligne 6, colonne 3 (chiffres.ententes) : " + message + "\n" in err, err


def test_nothing_invested_is_written_without_a_unit(tmp_path):
    period = with_figure(COMMUNIQUE, "chiffres.investissement", 0)
    period["chiffres"]["investissement"] = 0
    assert ("Durant l’année financière 2020-2021, aucune somme n’a été investie par le Ministère sur la "
            "Côte-Nord auprès des acteurs du milieu.") in sentences(tmp_path, period)


@pytest.mark.parametrize("invested, actions, expected", [
    (0, 0, ["Aucune action locale n’a encore vu le jour dans la région."]),
    (0, 1, ["La collaboration entre le Ministère et les partenaires du milieu a néanmoins permis à une action locale positive et dynamique de voir le jour dans la région.",
            "Cette action a contribué à faciliter l’intégration en français des personnes immigrantes et à favoriser leur établissement durable sur la Côte-Nord."]),
    (0, 40, ["La collaboration entre le Ministère et les partenaires du milieu a néanmoins permis à 40 actions locales positives et dynamiques de voir le jour dans la région."]),
    ("2 M$", 0, ["Aucune action locale n’a encore vu le jour dans la région grâce à cette collaboration."]),
    ("2 M$", 2, ["Cette collaboration entre le Ministère et les partenaires a permis à deux actions locales positives et dynamiques de voir le jour dans la région."]),
])
def test_the_collaboration_is_referred_to_only_after_an_investment(invested, actions, expected, tmp_path):
    period = copy.deepcopy(COMMUNIQUE)
    period["chiffres"].update(investissement=invested, actions_locales=actions)
    written = sentences(tmp_path, period)
    for sentence in expected:
        assert sentence in written
    if invested == 0:
        assert not [s for s in written if "cette collaboration" in s.lower()]


@pytest.mark.parametrize("agreements, advisers, expected", [
    (0, 6, "De plus, les conseillères et les conseillers veillent à la promotion et à la mise en œuvre des activités favorisant la pleine participation et l’inclusion des personnes immigrantes dans la collectivité."),
    (0, 1, "De plus, la conseillère ou le conseiller en immigration régionale veille à la promotion et à la mise en œuvre des activités favorisant la pleine participation et l’inclusion des personnes immigrantes dans la collectivité."),
    (1, 0, "De plus, la direction régionale assure l’encadrement de l’entente pour la promotion et la mise en œuvre des activités favorisant la pleine participation et l’inclusion des personnes immigrantes dans la collectivité."),
    (2, 6, "De plus, les conseillères et les conseillers assurent l’encadrement des ententes pour la promotion et la mise en œuvre des activités favorisant la pleine participation et l’inclusion des personnes immigrantes dans la collectivité."),
])
def test_the_agreements_are_managed_only_when_there_are_some(agreements, advisers, expected, tmp_path):
    period = copy.deepcopy(COMMUNIQUE)
    period["chiffres"]["ententes"] = agreements
    period["personnel"]["conseillers"] = advisers
    assert expected in sentences(tmp_path, period)


def headings(tmp_path, period: dict, region: dict) -> list[str]:
    from reportgen.data.catalog import load_catalog
    from reportgen.document import make_document
    from reportgen.model import Heading, plain_text
    texts(tmp_path, period, region)  # writes the data folder
    [report] = load_catalog(tmp_path / "data").reports
    return [plain_text(b.inlines) for b in make_document(report, ROOT / "layouts").blocks if isinstance(b, Heading)]


@pytest.mark.parametrize("en, de", [("sur la Côte-Nord", "de la Côte-Nord"),
                                    ("en Abitibi-Témiscamingue", "de l’Abitibi-Témiscamingue"),
                                    ("dans le Nord-du-Québec", "du Nord-du-Québec")])
def test_a_title_never_breaks_between_the_region_and_its_preposition(en, de, tmp_path):
    region = dict(copy.deepcopy(REGION), formes={"en": en, "de": de})
    nb = lambda text: text.replace(" ", "\u00a0")
    bilan = headings(tmp_path, BILAN, region)
    assert bilan[0] == f"Bilan des réalisations 2020-2021 {nb(en)}"
    assert f"Voici des projets développés dans la région {nb(de)}" in bilan
    communique = headings(tmp_path, COMMUNIQUE, region)
    assert communique[0] == f"Bilan des réalisations 2020-2021 {nb(en)}"
    assert f"Le Ministère {nb(en)}" in communique
